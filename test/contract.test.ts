// The OAS contract: every call of the endpoint table, made by the real client
// against the emulator, is checked against Zoho's published spec both ways:
// what the client sent (path, query, body) and what the emulator answered.
// The spec is the committed extract (contract/), so this runs in any clone;
// test/contract-extract.test.ts checks the extract against Zoho's files.
import type { CallRecord, RunningEmulator } from '../src/emulator/server.js';
import { endpoints, matchEndpoint, requiredScopes, type EndpointName } from '../src/zoho/endpoints.js';
import type { ZohoClient } from '../src/zoho/client.js';
import { checkErrorBody, checkParameters, checkRequestBody, checkResponse, operation } from './helpers/oas.js';
import { rejection, withEmulator } from './helpers/emulator.js';

const label = '24073000002958013';
const user = '1060099000000334001';
const hc = '24073000002886005';

const calls: Record<EndpointName, (c: ZohoClient) => Promise<unknown>> = {
  removeUsersFromLabel: (c) => c.call('removeUsersFromLabel', { path: { labelId: label }, body: { userIds: [user, '1060099000000334002'] } }),
  removeLabelsFromUser: (c) =>
    c.call('removeLabelsFromUser', { path: { userId: '1060099000000334050' }, query: { helpCenterId: hc }, body: { labelIds: [label, '24073000002958023', '24073000009999999'] } }),
  addUsersToLabel: (c) => c.call('addUsersToLabel', { path: { labelId: '24073000002958029' }, body: { userIds: ['1060099000000334100'] } }),
  listLabelUsers: (c) => c.call('listLabelUsers', { path: { labelId: label }, query: { from: 1, limit: 50 } }),
  listUserLabels: (c) => c.call('listUserLabels', { path: { userId: '1060099000000334045' }, query: { from: 1, limit: 50, helpCenterId: hc } }),
  getLabel: (c) => c.call('getLabel', { path: { labelId: label } }),
  listLabels: (c) => c.call('listLabels', { query: { helpCenterId: hc, from: 1, limit: 50 } }),
  getUser: (c) => c.call('getUser', { path: { userId: user } }),
  listUsers: (c) => c.call('listUsers', { query: { status: 'ALL', helpCenterId: hc, sortBy: '-email', from: 1, limit: 50 } }),
  listHelpCenters: (c) => c.call('listHelpCenters', { query: { from: 1, limit: 50 } }),
  listOrganizations: (c) => c.call('listOrganizations', {}),
};

function paramsOf(record: CallRecord): Record<string, string> {
  return matchEndpoint(record.method, record.path)?.params ?? {};
}

function expectValid(problems: string[], what: string): void {
  expect({ what, problems }).toEqual({ what, problems: [] });
}

describe('OAS contract (contract/zoho-desk-extract.json, cut from Zoho\'s OpenAPI files)', () => {
  let emulator: RunningEmulator;
  let client: ZohoClient;
  beforeEach(async () => {
    ({ emulator, client } = await withEmulator());
  });
  afterEach(() => emulator.close());

  test.each(Object.keys(endpoints) as EndpointName[])('%s: the table matches the spec, and request and answer validate', async (name) => {
    const def = endpoints[name];
    const spec = operation(def.operationId);
    expect([spec.method, spec.path]).toEqual([def.method, def.path]);

    await calls[name](client);
    const record = emulator.calls.at(-1)!;
    expect(record.endpoint).toBe(name);
    expectValid(checkParameters(def.operationId, { path: paramsOf(record), query: record.query }), `${name} parameters`);
    expectValid(checkRequestBody(def.operationId, record.body), `${name} request body`);
    // orgId travels as a header (Zoho's docs), on every call but listing organizations
    expect(record.orgId).toBe(name === 'listOrganizations' ? undefined : '2389290');
    expect(typeof record.status).toBe('number');
    expectValid(checkResponse(def.operationId, record.status as number, record.answer), `${name} answer ${String(record.status)}`);
  });

  test('an empty page answered {"data":[]} fits the spec (a 204 is not in it: ZOHO-NOTES reports both)', async () => {
    emulator.knobs.emptyPage = 'data';
    await client.call('listLabelUsers', { path: { labelId: label }, query: { from: 500, limit: 50 } });
    expect(emulator.calls[0]!.answer).toEqual({ data: [] });
    expectValid(checkResponse('getUsersByLabel', 200, emulator.calls[0]!.answer), 'empty data page');
  });

  test.each([
    ['404 on an unknown label', 'getLabel', (c: ZohoClient) => c.call('getLabel', { path: { labelId: '24073000009999999' } }), 404],
    ['422 on an unknown user in a removal', 'removeLabelsFromUsers', (c: ZohoClient) => c.call('removeUsersFromLabel', { path: { labelId: label }, body: { userIds: ['1060099000000999999'] } }), 422],
    ['422 on limit over 50', 'getUsersByLabel', (c: ZohoClient) => c.request('GET', `/api/v1/labels/${label}/users`, { query: { limit: 51 } }), 422],
  ] as const)('error answers fit the spec: %s', async (_what, operationId, call, status) => {
    await rejection(call(client));
    const record = emulator.calls.at(-1)!;
    expect(record.status).toBe(status);
    expectValid(checkResponse(operationId, status, record.answer), `${operationId} ${status}`);
  });

  test('every error body the emulator can give fits Common.json errorJson', async () => {
    emulator.knobs.dailyCredits = 0;
    await rejection(client.call('getLabel', { path: { labelId: label } }));
    emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;
    emulator.knobs.errorRate = 1;
    await rejection(client.call('getLabel', { path: { labelId: label } }));
    emulator.knobs.errorRate = 0;
    emulator.knobs.scopes = [];
    await rejection(client.call('getLabel', { path: { labelId: label } }));
    const bodies = emulator.calls.map((c) => c.answer);
    expect(emulator.calls.map((c) => c.errorCode)).toEqual(['THRESHOLD_EXCEEDED', 'INTERNAL_SERVER_ERROR', 'SCOPE_MISMATCH']);
    for (const b of bodies) expectValid(checkErrorBody(b), JSON.stringify(b));
  });

  test('listUsers answers fit getUsers with every status, activity or none, and a label or none', async () => {
    const users = [...emulator.state.users.values()];
    users[0]!.status = 'DISABLED';
    users[1]!.status = 'DELETED';
    users[2]!.lastAccessedTime = '2026-01-05T09:00:00.000Z';
    users[3]!.lastAccessedTime = '2025-06-01T00:00:00Z';
    emulator.state.remove('24073000002958023', users[119]!.id); // holds no label now
    await client.call('listUsers', { query: { status: 'ALL', from: 1, limit: 50, searchBy: 'user', lastActivityStartTime: '2025-01-01T00:00:00.000Z' } });
    await client.call('listUsers', { query: { status: 'ALL', from: 101, limit: 50 } });
    for (const record of emulator.calls) {
      expect((record.answer as { data: unknown[] }).data.length).toBeGreaterThan(0);
      expectValid(checkParameters('getUsers', { path: {}, query: record.query }), 'listUsers parameters');
      expectValid(checkResponse('getUsers', 200, record.answer), 'listUsers answer');
    }
    const shown = (emulator.calls[0]!.answer as { data: { status: string; lastAccessedTime: string | null }[] }).data;
    expect(shown.map((x) => x.lastAccessedTime)).toEqual(['2026-01-05T09:00:00.000Z', '2025-06-01T00:00:00Z']);
    const last = (emulator.calls[1]!.answer as { data: { label: unknown }[] }).data;
    expect(last.some((x) => x.label === null)).toBe(true);
  });

  test("each endpoint's scopes are among the spec's security scopes, and requiredScopes is their union", () => {
    for (const [name, def] of Object.entries(endpoints)) {
      const security = (operation(def.operationId).op.security as Record<string, string[]>[] | undefined) ?? [];
      const allowed = security.flatMap((s) => Object.values(s).flat());
      expect({ name, outside: def.scopes.filter((s) => !allowed.includes(s)) }).toEqual({ name, outside: [] });
    }
    expect([...requiredScopes].sort()).toEqual([...new Set(Object.values(endpoints).flatMap((d) => [...d.scopes]))].sort());
  });

  test('answers under the options for unknowns fit the spec where it has a shape for them', async () => {
    emulator.knobs.nonMember = '422';
    await rejection(client.call('removeUsersFromLabel', { path: { labelId: label }, body: { userIds: ['1060099000000334100'] } }));
    expectValid(checkResponse('removeLabelsFromUsers', 422, emulator.calls.at(-1)!.answer), 'non-member 422');
    await client.call('removeLabelsFromUser', { path: { userId: '1060099000000334100' }, body: { labelIds: [label] } });
    expect(emulator.calls.at(-1)!.answer).toEqual({ results: [{ success: false, id: label, errors: expect.objectContaining({ httpCode: 422 }) }] });
    expectValid(checkResponse('removeLabelsFromUser', 200, emulator.calls.at(-1)!.answer), 'by-user non-member 422');
    emulator.knobs.errorsArray = 'without';
    emulator.knobs.orgMismatchStatus = 403;
    emulator.knobs.scopeError = 'INVALID_OAUTH-403';
    await rejection(client.call('removeUsersFromLabel', { path: { labelId: label }, body: { userIds: ['1060099000000334100'] } }));
    await rejection(client.request('GET', `/api/v1/labels/${label}/users`, { query: { limit: 51 } }));
    emulator.knobs.scopes = [];
    await rejection(client.call('getLabel', { path: { labelId: label } }));
    const bodies = emulator.calls.slice(2).map((c) => [c.status, c.answer]);
    expect(bodies.map(([status, body]) => [status, (body as { errorCode: string }).errorCode])).toEqual([
      [422, 'UNPROCESSABLE_ENTITY'],
      [422, 'UNPROCESSABLE_ENTITY'],
      [403, 'INVALID_OAUTH'],
    ]);
    for (const [, body] of bodies) expectValid(checkErrorBody(body), JSON.stringify(body));
  });

  test("known gap: nonMember '404' answers RESOURCE_NOT_FOUND (issue 10's wording), a code Common.json does not list", async () => {
    emulator.knobs.nonMember = '404';
    await rejection(client.call('removeUsersFromLabel', { path: { labelId: label }, body: { userIds: ['1060099000000334100'] } }));
    expect(emulator.calls.at(-1)!.answer).toEqual({ errorCode: 'RESOURCE_NOT_FOUND', message: 'The user is not associated with the label.' });
    expect(checkErrorBody(emulator.calls.at(-1)!.answer)).not.toEqual([]);
  });

  test('the checker is not a rubber stamp: it rejects wrong shapes', () => {
    expect(checkRequestBody('removeLabelsFromUsers', { userIds: ['12'], extra: true })).not.toEqual([]);
    expect(checkRequestBody('removeLabelsFromUsers', { labelIds: ['12'] })).not.toEqual([]);
    expect(checkResponse('removeLabelsFromUser', 200, { results: [{ success: true, id: '1' }] })).not.toEqual([]);
    expect(checkResponse('getUsersByLabel', 200, { data: [{ id: '1', name: 'x', photoUrl: null, emailAddress: 'a@b.co', userType: 'ENDUSER', status: 'ACTIVE', assignee: null, assignedTime: null, bogus: 1 }] })).not.toEqual([]);
    expect(checkResponse('removeLabelsFromUsers', 200, undefined)).not.toEqual([]);
    const member = { id: '1', name: 'x', photoUrl: null, emailAddress: 'a@b.co', userType: 'ENDUSER', status: 'ACTIVE', assignee: null, assignedTime: null };
    expect(checkResponse('getUsersByLabel', 200, { data: [member] })).toEqual([]);
    const { emailAddress: _e, ...noEmail } = member;
    expect(checkResponse('getUsersByLabel', 200, { data: [noEmail] })).not.toEqual([]);
    expect(checkResponse('getUsersByLabel', 200, { data: [{ ...member, assignedTime: 1565336864000 }] })).not.toEqual([]);
    expect(checkParameters('getUsersByLabel', { path: { labelId: '1' }, query: { limit: '51' } })).not.toEqual([]);
    const listed = { id: '1', name: 'x', photoUrl: null, emailAddress: 'a@b.co', userType: 'ENDUSER', status: 'ACTIVE', lastAccessedTime: null, label: null };
    expect(checkResponse('getUsers', 200, { data: [listed] })).toEqual([]);
    expect(checkResponse('getUsers', 200, { data: [{ ...listed, status: 'GONE' }] })).not.toEqual([]);
    expect(checkResponse('getUsers', 200, { data: [{ ...listed, email: [] }] })).not.toEqual([]);
    expect(checkParameters('getUsers', { path: {}, query: { sortBy: 'name' } })).not.toEqual([]);
  });
});
