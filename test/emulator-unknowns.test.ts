// The emulator's options for what Zoho's published spec leaves unknown (issue
// 10): each value observed over real HTTP, with plain fetch, on the answer and
// on the state it leaves.
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { tooLargeAnswers, type EmulatorOptions } from '../src/emulator/knobs.js';
import type { Seed } from '../src/emulator/seed.js';
import { rawApi, rawToken, type RawAnswer } from './helpers/emulator.js';
import { A, B, C, u } from './helpers/seed.js';

const unknownUser = '1060099000000999999';
const NOT_ASSOCIATED = 'The user is not associated with the label.';

let emulator: RunningEmulator;
let call: Awaited<ReturnType<typeof rawApi>>;
async function start(options: EmulatorOptions = {}): Promise<void> {
  emulator = await startEmulator(options);
  call = await rawApi(emulator);
}
afterEach(() => emulator.close());

const removeFromLabel = (label: string, userIds: string[]) => call('POST', `/api/v1/labels/${label}/users/remove`, { body: { userIds } });
const addToLabel = (label: string, userIds: string[]) => call('POST', `/api/v1/labels/${label}/users/add`, { body: { userIds } });
const removeFromUser = (user: string, labelIds: string[], query = '') => call('POST', `/api/v1/users/${user}/labels/remove${query}`, { body: { labelIds } });
const held = (user: string) => emulator.state.labelsOf(user).map((x) => x.label.id);

describe('labelIdsIn: where the by-user removal reads labelIds', () => {
  test('body (default): from the JSON body; labelIds only in the query are missing, nothing changes', async () => {
    await start();
    const r = await removeFromUser(u(5), [A]);
    expect(r.status).toBe(200);
    expect(held(u(5))).toEqual([C]);
    const q = await call('POST', `/api/v1/users/${u(6)}/labels/remove?labelIds=${A}`);
    expect(q.status).toBe(422);
    expect(q.body?.errors).toEqual([{ fieldName: '/labelIds', errorType: 'missing', errorMessage: expect.any(String) }]);
    expect(held(u(6))).toEqual([A, C]);
  });

  test('query: from ?labelIds=1,2 (the body ignored); labelIds only in the body are missing, nothing changes', async () => {
    await start({ labelIdsIn: 'query' });
    const r = await call('POST', `/api/v1/users/${u(5)}/labels/remove?labelIds=${A},${C}`, { body: { anything: 'ignored' } });
    expect(r.status).toBe(200);
    expect(r.body?.results).toEqual([
      { success: true, id: A, errors: null },
      { success: true, id: C, errors: null },
    ]);
    expect(held(u(5))).toEqual([]);
    expect(emulator.calls.at(-1)?.ids).toEqual([A, C]);

    const inBody = await removeFromUser(u(6), [A]);
    expect([inBody.status, inBody.body?.errors]).toEqual([422, [{ fieldName: '/labelIds', errorType: 'missing', errorMessage: expect.any(String) }]]);
    expect(held(u(6))).toEqual([A, C]);
    // the call log still shows what was sent
    expect(emulator.calls.at(-1)?.ids).toEqual([]);
    const bad = await call('POST', `/api/v1/users/${u(6)}/labels/remove?labelIds=${A},1.06E%2B18`);
    expect([bad.status, (bad.body?.errors as { fieldName: string }[])[0]?.fieldName]).toEqual([422, '/labelIds/1']);
    expect(held(u(6))).toEqual([A, C]);
  });

  test('query with errorsArray without: the refusal names nothing', async () => {
    await start({ labelIdsIn: 'query', errorsArray: 'without' });
    const r = await removeFromUser(u(6), [A]);
    expect(r.status).toBe(422);
    expect(Object.keys(r.body ?? {}).sort()).toEqual(['errorCode', 'message']);
    expect(r.body?.errorCode).toBe('UNPROCESSABLE_ENTITY');
  });
});

describe('errorsArray: the shape of every 422', () => {
  const triggers: [string, () => Promise<RawAnswer>, string][] = [
    ['limit over 50', () => call('GET', `/api/v1/labels/${A}/users?limit=51`), '/limit'],
    ['an unknown user in a batch', () => removeFromLabel(A, [u(1), unknownUser]), '/userIds/1'],
    ['a body that is not {userIds}', () => call('POST', `/api/v1/labels/${A}/users/remove`, { body: { userIds: [], labelIds: ['1'] } }), '/labelIds'],
    ['a path ID with letters', () => call('GET', '/api/v1/labels/1.06E%2B18'), '/labelId'],
    ['an empty orgId header', () => call('GET', `/api/v1/labels/${A}`, { headers: { orgId: '' } }), '/orgId'],
    ['a bad users-list status', () => call('GET', '/api/v1/users?status=GONE'), '/status'],
  ];

  test.each(triggers)('with (default): INVALID_DATA naming the field — %s', async (_what, trigger, field) => {
    await start();
    const r = await trigger();
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      errorCode: 'INVALID_DATA',
      message: 'The data does not comply to the validation restrictions defined.',
      errors: [{ fieldName: field, errorType: expect.stringMatching(/^(invalid|missing)$/), errorMessage: expect.any(String) }],
    });
  });

  test.each(triggers)('without: UNPROCESSABLE_ENTITY, no errors array, no digits in the message — %s', async (_what, trigger) => {
    await start({ errorsArray: 'without' });
    const before = emulator.state.pairs();
    const r = await trigger();
    expect(r.status).toBe(422);
    expect(Object.keys(r.body ?? {}).sort()).toEqual(['errorCode', 'message']);
    expect(r.body?.errorCode).toBe('UNPROCESSABLE_ENTITY');
    expect(r.body?.message).toMatch(/^[^\d]{10,}$/);
    expect(emulator.state.pairs()).toEqual(before);
  });

  test('a live change applies to the next call; RESOURCE_SIZE_EXCEEDED keeps its own shape in both modes', async () => {
    await start({ maxIdsPerCall: 2 });
    for (const mode of ['with', 'without'] as const) {
      emulator.knobs.errorsArray = mode;
      const r = await removeFromLabel(A, [u(1), u(2), u(3)]);
      expect([r.status, r.body?.errorCode, r.body?.errors]).toEqual([422, 'RESOURCE_SIZE_EXCEEDED', undefined]);
      expect(r.body?.message).toContain('maximum of 2');
    }
    expect((await removeFromLabel(A, [u(1), unknownUser])).body?.errorCode).toBe('UNPROCESSABLE_ENTITY');
    emulator.knobs.errorsArray = 'with';
    expect((await removeFromLabel(A, [u(1), unknownUser])).body?.errorCode).toBe('INVALID_DATA');
  });
});

describe('nonMember: removing a user who exists but does not hold the label', () => {
  // u(100) is not on label A (users 0-79); u(5) holds A and C, not B.
  test('success (default): skipped; the members listed are removed, 204; by user, success:true', async () => {
    await start();
    const r = await removeFromLabel(A, [u(1), u(100)]);
    expect([r.status, r.body]).toEqual([204, undefined]);
    expect(emulator.state.has(A, u(1))).toBe(false);
    const byUser = await removeFromUser(u(5), [A, B]);
    expect(byUser.body?.results).toEqual([
      { success: true, id: A, errors: null },
      { success: true, id: B, errors: null },
    ]);
    expect(held(u(5))).toEqual([C]);
  });

  test('404: the whole label call answers RESOURCE_NOT_FOUND and applies nothing; by user, that label fails 404', async () => {
    await start({ nonMember: '404' });
    const r = await removeFromLabel(A, [u(1), u(100)]);
    expect([r.status, r.body]).toEqual([404, { errorCode: 'RESOURCE_NOT_FOUND', message: NOT_ASSOCIATED }]);
    expect(emulator.state.has(A, u(1))).toBe(true);
    expect((await removeFromLabel(A, [u(1)])).status).toBe(204);
    const byUser = await removeFromUser(u(5), [A, B]);
    expect([byUser.status, byUser.body?.results]).toEqual([
      200,
      [
        { success: true, id: A, errors: null },
        { success: false, id: B, errors: { errorCode: 'RESOURCE_NOT_FOUND', httpCode: 404, error: NOT_ASSOCIATED } },
      ],
    ]);
    expect(held(u(5))).toEqual([C]);
  });

  test('422: the whole label call answers 422 naming the index and applies nothing; by user, that label fails 422', async () => {
    await start({ nonMember: '422' });
    const r = await removeFromLabel(A, [u(1), u(100)]);
    expect([r.status, r.body?.errors]).toEqual([422, [{ fieldName: '/userIds/1', errorType: 'invalid', errorMessage: NOT_ASSOCIATED }]]);
    expect(emulator.state.has(A, u(1))).toBe(true);
    const byUser = await removeFromUser(u(5), [B, A]);
    expect(byUser.body?.results).toEqual([
      { success: false, id: B, errors: { errorCode: 'INVALID_DATA', httpCode: 422, error: NOT_ASSOCIATED } },
      { success: true, id: A, errors: null },
    ]);
    expect(held(u(5))).toEqual([C]);
    emulator.knobs.errorsArray = 'without';
    expect((await removeFromLabel(A, [u(2), u(100)])).body).toEqual({ errorCode: 'UNPROCESSABLE_ENTITY', message: NOT_ASSOCIATED });
    expect(emulator.state.has(A, u(2))).toBe(true);
  });
});

describe('unknownUserInBatch: a user ID that does not exist inside a label call', () => {
  test('reject (default): the whole remove or add answers 422 naming it; nothing applied', async () => {
    await start();
    const r = await removeFromLabel(A, [u(1), unknownUser]);
    expect([r.status, (r.body?.errors as { fieldName: string }[])[0]?.fieldName]).toEqual([422, '/userIds/1']);
    expect(emulator.state.has(A, u(1))).toBe(true);
    expect((await addToLabel(C, [u(100), unknownUser])).status).toBe(422);
    expect(emulator.state.has(C, u(100))).toBe(false);
  });

  test('ignore: the unknown ID is skipped and the rest applied, 204, for remove and add', async () => {
    await start({ unknownUserInBatch: 'ignore' });
    expect((await removeFromLabel(A, [u(1), unknownUser])).status).toBe(204);
    expect(emulator.state.has(A, u(1))).toBe(false);
    expect((await addToLabel(C, [unknownUser, u(100)])).status).toBe(204);
    expect(emulator.state.has(C, u(100))).toBe(true);
    expect(emulator.state.users.has(unknownUser)).toBe(false);
  });

  test.each(['reject', 'ignore'] as const)('%s: by user, an unknown user is 404 URL_NOT_FOUND and an unknown label a per-ID 422', async (mode) => {
    await start({ unknownUserInBatch: mode });
    const r = await removeFromUser(unknownUser, [A]);
    expect([r.status, r.body?.errorCode]).toEqual([404, 'URL_NOT_FOUND']);
    const label = await removeFromUser(u(5), ['24073000009999999', A]);
    expect(label.body?.results).toEqual([
      { success: false, id: '24073000009999999', errors: { errorCode: 'INVALID_DATA', httpCode: 422, error: 'Label not found' } },
      { success: true, id: A, errors: null },
    ]);
  });
});

describe('removeScope: the catastrophe the spec text allows', () => {
  test('listed (default): only what was listed goes', async () => {
    await start();
    await removeFromLabel(A, [u(1)]);
    expect(emulator.state.members.get(A)?.size).toBe(79);
  });

  test('all, label side: one listed user empties the label, answered as a normal 204; other labels untouched', async () => {
    await start({ removeScope: 'all' });
    const others = emulator.state.pairs().filter((p) => !p.endsWith(`:${A}`));
    const r = await removeFromLabel(A, [u(1)]);
    expect([r.status, r.body]).toEqual([204, undefined]);
    expect(emulator.state.members.get(A)?.size).toBe(0);
    expect(emulator.state.pairs()).toEqual(others);
  });

  test('all still validates userIds first: a refused call removes nothing; add is unaffected', async () => {
    await start({ removeScope: 'all' });
    expect((await removeFromLabel(B, [u(50), unknownUser])).status).toBe(422);
    expect(emulator.state.members.get(B)?.size).toBe(80);
    expect((await addToLabel(C, [u(100)])).status).toBe(204);
    expect(emulator.state.members.get(C)?.size).toBe(11);
  });

  test('all, user side: every label the user holds goes (within helpCenterId when given), with normal results', async () => {
    const seed: Seed = {
      organizations: [{ id: '2389290' }],
      helpCenters: [
        { id: '11', name: 'One', orgId: '2389290' },
        { id: '22', name: 'Two', orgId: '2389290' },
      ],
      labels: [
        { id: '101', name: 'X', helpCenterId: '11' },
        { id: '102', name: 'Y', helpCenterId: '11' },
        { id: '201', name: 'Z', helpCenterId: '22' },
      ],
      users: [{ id: '7', name: 'U', email: 'u@x.io' }],
      memberships: ['101', '102', '201'].map((labelId) => ({ labelId, userIds: ['7'] })),
    };
    await start({ seed, removeScope: 'all' });
    const r = await removeFromUser('7', ['101'], '?helpCenterId=11');
    expect([r.status, r.body?.results]).toEqual([200, [{ success: true, id: '101', errors: null }]]);
    expect(held('7')).toEqual(['201']);
    await removeFromUser('7', ['201']);
    expect(held('7')).toEqual([]);
  });
});

describe('answers known from third parties only', () => {
  /** A call with plain fetch, its body as text: these answers need not be JSON. */
  const rawText = async (path: string, init: { token?: string; body?: unknown } = {}) => {
    const token = init.token ?? ((await rawToken(emulator)).body?.access_token as string);
    const r = await fetch(`${emulator.url}${path}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Zoho-oauthtoken ${token}`, orgId: '2389290', 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  };

  test.each([200, 400] as const)('refreshRefusalStatus %i: a refused refresh request answers that status with {"error": …}; a good one still 200', async (status) => {
    await start({ refreshRefusalStatus: status });
    const bad = await rawToken(emulator, { refresh_token: 'nope' });
    expect([bad.status, bad.body]).toEqual([status, { error: 'invalid_code' }]);
    const client = await rawToken(emulator, { client_secret: 'nope' });
    expect([client.status, client.body]).toEqual([status, { error: 'invalid_client_secret' }]);
    const ok = await rawToken(emulator);
    expect([ok.status, typeof ok.body?.access_token]).toEqual([200, 'string']);
  });

  test('invalidTokenBody empty: a dead or forged token answers 401 with no body; a good token is served', async () => {
    await start({ invalidTokenBody: 'empty', tokenLifetimeCalls: 1 });
    const token = (await rawToken(emulator)).body?.access_token as string;
    expect((await rawText(`/api/v1/labels/${A}`, { token })).status).toBe(200);
    expect(await rawText(`/api/v1/labels/${A}`, { token })).toEqual({ status: 401, type: null, text: '' });
    expect(await rawText(`/api/v1/labels/${A}`, { token: 'emu-access-forged' })).toEqual({ status: 401, type: null, text: '' });
    emulator.knobs.invalidTokenBody = 'json';
    expect(JSON.parse((await rawText(`/api/v1/labels/${A}`, { token })).text)).toMatchObject({ errorCode: 'INVALID_OAUTH' });
  });

  const tooLargeShapes: Record<(typeof tooLargeAnswers)[number], [number, RegExp]> = {
    'size-exceeded': [422, /^\{"errorCode":"RESOURCE_SIZE_EXCEEDED","message":"The number of \w+ exceeds the maximum of 2\."\}$/],
    '413': [413, /^\{"errorCode":"RESOURCE_SIZE_EXCEEDED","message":"The number of \w+ exceeds the maximum of 2\."\}$/],
    '413-html': [413, /^<html>.*Request Entity Too Large.*<\/html>$/],
    '413-empty': [413, /^$/],
    '422-words': [422, /^\{"errorCode":"UNPROCESSABLE_ENTITY","message":"The number of \w+ exceeds the maximum of 2\."\}$/],
    '422-bare': [422, /^\{"errorCode":"UNPROCESSABLE_ENTITY","message":"The request cannot be processed\."\}$/],
    '422-empty': [422, /^$/],
  };
  test.each(tooLargeAnswers)('tooLarge %s: three IDs past a maximum of 2 are refused in that shape, by label and by user; nothing applied', async (tooLarge) => {
    await start({ maxIdsPerCall: 2, tooLarge });
    const before = emulator.state.pairs();
    const [status, body] = tooLargeShapes[tooLarge];
    for (const path of [`/api/v1/labels/${A}/users/remove`, `/api/v1/users/${u(5)}/labels/remove`]) {
      const r = await rawText(path, { body: path.startsWith('/api/v1/labels') ? { userIds: [u(1), u(2), u(3)] } : { labelIds: [A, B, C] } });
      expect([path, r.status, r.text]).toEqual([path, status, expect.stringMatching(body)]);
    }
    expect(emulator.state.pairs()).toEqual(before);
    expect((await rawText(`/api/v1/labels/${A}/users/remove`, { body: { userIds: [u(1), u(2)] } })).status).toBe(204);
  });
});

test('every unknown can be changed on a running emulator', async () => {
  await start();
  expect((await removeFromLabel(A, [u(1), unknownUser])).status).toBe(422);
  emulator.knobs.unknownUserInBatch = 'ignore';
  expect((await removeFromLabel(A, [u(1), unknownUser])).status).toBe(204);
  emulator.knobs.nonMember = '404';
  expect((await removeFromLabel(A, [u(1)])).status).toBe(404);
  emulator.knobs.labelIdsIn = 'query';
  expect((await removeFromUser(u(6), [A])).status).toBe(422);
  emulator.knobs.removeScope = 'all';
  expect((await removeFromLabel(C, [u(2)])).status).toBe(204);
  expect(emulator.state.members.get(C)?.size).toBe(0);
});
