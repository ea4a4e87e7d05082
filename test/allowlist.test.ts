import type { RunningEmulator } from '../src/emulator/server.js';
import { EndpointNotAllowedError } from '../src/errors/EndpointNotAllowedError.js';
import { InvalidIdError } from '../src/errors/InvalidIdError.js';
import { endpoints, matchEndpoint } from '../src/zoho/endpoints.js';
import type { ZohoClient } from '../src/zoho/client.js';
import { rejection, withEmulator } from './helpers/emulator.js';

const label = '24073000002958013';
const user = '1060099000000334001';

describe('the endpoint allowlist', () => {
  let emulator: RunningEmulator;
  let client: ZohoClient;
  beforeEach(async () => {
    ({ emulator, client } = await withEmulator());
  });
  afterEach(() => emulator.close());

  test.each([
    ['DELETE', `/api/v1/labels/${label}`, 'deletes the label'],
    ['PATCH', `/api/v1/labels/${label}`, 'edits the label'],
    ['POST', '/api/v1/labels', 'creates a label'],
    ['GET', '/api/v1/badges', 'badges'],
    ['GET', `/api/v1/users/${user}/badges`, 'badges of a user'],
    ['POST', `/api/v1/users/${user}/badges/dissociate`, 'badge removal'],
    ['POST', `/api/v1/users/${user}/badges/associate`, 'badge assignment'],
    ['DELETE', `/api/v1/helpcenter/24073000002886005/labels/${label}/users/${user}`, 'third-party how-to path'],
    ['POST', `/api/v1/users/${user}/anonymize`, 'anonymizes the user'],
    ['POST', `/api/v1/users/${user}/labels/assign`, 'not a call this tool makes'],
  ])('%s %s (%s) is refused before any I/O', async (method, path) => {
    const tokensBefore = emulator.tokenRequests.length;
    const error = await rejection(client.request(method, path));
    expect(error).toBeInstanceOf(EndpointNotAllowedError);
    expect((error as EndpointNotAllowedError).code).toBe('ENDPOINT_NOT_ALLOWED');
    expect((error as Error).message).toContain(`${method} ${path}`);
    expect(emulator.calls).toHaveLength(0);
    expect(emulator.tokenRequests).toHaveLength(tokensBefore);
  });

  test('the label survives: the emulator would have deleted it, and it still has its members', async () => {
    await rejection(client.request('DELETE', `/api/v1/labels/${label}`));
    expect(emulator.state.labels.has(label)).toBe(true);
    expect(emulator.state.members.get(label)?.size).toBe(80);
    expect(emulator.calls.filter((c) => c.endpoint === 'deleteLabel')).toHaveLength(0);
  });

  test('the table holds exactly the eleven calls the tool needs, none of them a DELETE or a badge', () => {
    expect(Object.keys(endpoints).sort()).toEqual(
      ['addUsersToLabel', 'getLabel', 'getUser', 'listHelpCenters', 'listLabelUsers', 'listLabels', 'listOrganizations', 'listUserLabels', 'listUsers', 'removeLabelsFromUser', 'removeUsersFromLabel'].sort(),
    );
    for (const def of Object.values(endpoints)) {
      expect(['GET', 'POST']).toContain(def.method);
      expect(def.path).not.toMatch(/badge|helpcenter\//i);
    }
    expect(matchEndpoint('DELETE', `/api/v1/labels/${label}`)).toBeUndefined();
    expect(matchEndpoint('POST', `/api/v1/labels/${label}/users/remove`)).toEqual({ name: 'removeUsersFromLabel', params: { labelId: label } });
  });

  test.each([
    ['a number ID (may have lost digits)', { path: { labelId: 24073000002958013 as unknown as string }, body: { userIds: [user] } }, 'labelId', InvalidIdError, 'INVALID_ID'],
    ['spreadsheet notation', { path: { labelId: label }, body: { userIds: ['1.0601E+18'] } }, 'userIds[0]', InvalidIdError, 'INVALID_ID'],
    ['a path traversal', { path: { labelId: '../badges' }, body: { userIds: [user] } }, 'labelId', InvalidIdError, 'INVALID_ID'],
    // no call of the tool sends an empty list: a programming error, not a bad ID from a file
    ['an empty list', { path: { labelId: label }, body: { userIds: [] } }, 'userIds', TypeError, undefined],
  ])('IDs are checked before they go into a path or body: %s', async (_name, args, field, kind, code) => {
    const error = await rejection(client.call('removeUsersFromLabel', args));
    expect(error).toBeInstanceOf(kind);
    expect((error as { code?: string }).code).toBe(code);
    expect((error as Error).message).toContain(field);
    expect(emulator.calls).toHaveLength(0);
  });

  test('19-digit IDs go out exactly as given', async () => {
    await client.call('removeUsersFromLabel', { path: { labelId: label }, body: { userIds: [user] } });
    const sent = emulator.calls[0]!;
    expect(sent.path).toBe(`/api/v1/labels/${label}/users/remove`);
    expect(sent.body).toEqual({ userIds: [user] });
    expect(emulator.state.has(label, user)).toBe(false);
  });
});
