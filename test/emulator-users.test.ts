// Users, their status and activity (issue 14): GET /api/v1/users with its
// filters and paging, and status/email/activity on every read that shows a user.
import type { Seed } from '../src/emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { rawApi } from './helpers/emulator.js';
import { C, u } from './helpers/seed.js';

const HC1 = '11';
const HC2 = '22';
const people: Seed['users'] = [
  { id: '1001', name: 'Ada Lovelace', email: 'ada@zylker.com', lastAccessedTime: '2026-01-05T09:00:00.000Z' },
  { id: '1002', name: 'Alan Turing', email: 'alan@zylker.com', status: 'DISABLED', lastAccessedTime: '2025-06-01T00:00:00Z' },
  { id: '1003', name: 'Grace Hopper', email: 'grace@navy.example.com', status: 'DELETED', lastAccessedTime: null },
  { id: '1004', name: 'Edsger Dijkstra', email: 'edsger@zylker.com', lastAccessedTime: '2025-12-31T23:59:59.999Z', helpCenterIds: [HC2] },
  { id: '1005', name: 'Barbara Liskov', email: 'barbara@zylker.com' },
];
const seed: Seed = {
  organizations: [{ id: '2389290' }],
  helpCenters: [
    { id: HC1, name: 'One', orgId: '2389290' },
    { id: HC2, name: 'Two', orgId: '2389290' },
  ],
  labels: [
    { id: '501', name: 'First', helpCenterId: HC1 },
    { id: '502', name: 'Second', helpCenterId: HC2 },
  ],
  users: people,
  memberships: [
    { labelId: '502', userIds: ['1002', '1003'] },
    { labelId: '501', userIds: ['1003', '1001'] },
  ],
};

let emulator: RunningEmulator;
let call: Awaited<ReturnType<typeof rawApi>>;
afterEach(() => emulator.close());

describe('GET /api/v1/users', () => {
  beforeEach(async () => {
    emulator = await startEmulator({ seed });
    call = await rawApi(emulator);
  });

  const ids = async (query: string): Promise<string[] | number> => {
    const r = await call('GET', `/api/v1/users${query}`);
    return r.status === 200 ? (r.body?.data as { id: string }[]).map((x) => x.id) : r.status;
  };

  test('items carry id, name, emailAddress, status, lastAccessedTime and the first label held', async () => {
    const r = await call('GET', '/api/v1/users?status=ALL&limit=3');
    expect(r.body?.data).toEqual([
      { id: '1001', name: 'Ada Lovelace', photoUrl: null, emailAddress: 'ada@zylker.com', userType: 'ENDUSER', status: 'ACTIVE', lastAccessedTime: '2026-01-05T09:00:00.000Z', label: { id: '501', name: 'First', logoUrl: null, preferences: expect.any(Object) } },
      { id: '1002', name: 'Alan Turing', photoUrl: null, emailAddress: 'alan@zylker.com', userType: 'ENDUSER', status: 'DISABLED', lastAccessedTime: '2025-06-01T00:00:00Z', label: { id: '502', name: 'Second', logoUrl: null, preferences: expect.any(Object) } },
      // label order is the seed's, not the order of assignment
      { id: '1003', name: 'Grace Hopper', photoUrl: null, emailAddress: 'grace@navy.example.com', userType: 'ENDUSER', status: 'DELETED', lastAccessedTime: null, label: { id: '501', name: 'First', logoUrl: null, preferences: expect.any(Object) } },
    ]);
  });

  test('status: ACTIVE when absent; DISABLED, DELETED, ALL; anything else 422', async () => {
    expect(await ids('')).toEqual(['1001', '1004', '1005']);
    expect(await ids('?status=ACTIVE')).toEqual(['1001', '1004', '1005']);
    expect(await ids('?status=DISABLED')).toEqual(['1002']);
    expect(await ids('?status=DELETED')).toEqual(['1003']);
    expect(await ids('?status=ALL')).toEqual(['1001', '1002', '1003', '1004', '1005']);
    expect(await ids('?status=active')).toBe(422);
  });

  test('helpCenterId: users of that help center (every one, unless the seed gives helpCenterIds)', async () => {
    expect(await ids(`?status=ALL&helpCenterId=${HC1}`)).toEqual(['1001', '1002', '1003', '1005']);
    expect(await ids(`?status=ALL&helpCenterId=${HC2}`)).toEqual(['1001', '1002', '1003', '1004', '1005']);
    expect(await ids('?status=ALL&helpCenterId=33')).toBe(204);
    expect(await ids('?helpCenterId=x1')).toBe(422);
  });

  test('lastActivityStartTime/EndTime: last activity within the range, bounds included; no activity never matches', async () => {
    expect(await ids('?status=ALL&lastActivityStartTime=2025-12-31T23:59:59.999Z')).toEqual(['1001', '1004']);
    expect(await ids('?status=ALL&lastActivityEndTime=2025-12-31T23:59:59.999Z')).toEqual(['1002', '1004']);
    expect(await ids('?status=ALL&lastActivityStartTime=2025-06-01T00:00:00.000Z&lastActivityEndTime=2025-07-01T00:00:00.000Z')).toEqual(['1002']);
    expect(await ids('?status=ALL&lastActivityStartTime=2020-01-01T00:00:00.000Z')).toEqual(['1001', '1002', '1004']);
    expect(await ids('?status=ACTIVE&lastActivityEndTime=2026-12-01T00:00:00.000Z')).toEqual(['1001', '1004']);
    for (const bad of ['2025-12-31', '2025-12-31T23:59:59+01:00', 'yesterday']) expect(await ids(`?lastActivityStartTime=${encodeURIComponent(bad)}`)).toBe(422);
  });

  test('searchBy: a piece of the email or the name, any case, at least two characters', async () => {
    expect(await ids('?status=ALL&searchBy=navy')).toEqual(['1003']);
    expect(await ids('?status=ALL&searchBy=TURING')).toEqual(['1002']);
    expect(await ids('?status=ALL&searchBy=RA')).toEqual(['1003', '1004', '1005']);
    const r = await call('GET', '/api/v1/users?searchBy=a');
    expect([r.status, (r.body?.errors as { fieldName: string }[])[0]?.fieldName]).toEqual([422, '/searchBy']);
  });

  test('sortBy: email, -email, modifiedTime, -modifiedTime; anything else 422', async () => {
    expect(await ids('?status=ALL&sortBy=email')).toEqual(['1001', '1002', '1005', '1004', '1003']);
    expect(await ids('?status=ALL&sortBy=-email')).toEqual(['1003', '1004', '1005', '1002', '1001']);
    expect(await ids('?status=ALL&sortBy=modifiedTime')).toEqual(['1001', '1002', '1003', '1004', '1005']);
    expect(await ids('?status=ALL&sortBy=-modifiedTime')).toEqual(['1005', '1004', '1003', '1002', '1001']);
    expect(await ids('?sortBy=name')).toBe(422);
  });

  test('filters combine', async () => {
    expect(await ids(`?status=ALL&helpCenterId=${HC1}&searchBy=zylker&lastActivityStartTime=2025-01-01T00:00:00.000Z&sortBy=-email`)).toEqual(['1002', '1001']);
  });
});

describe('users list paging', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
    call = await rawApi(emulator);
  });

  test('from/limit over 120 users, then the empty page as the other lists give it', async () => {
    const page = async (q: string) => call('GET', `/api/v1/users?status=ACTIVE&${q}`);
    const all: string[] = [];
    for (const from of [1, 51, 101]) all.push(...((await page(`from=${from}&limit=50`)).body?.data as { id: string }[]).map((x) => x.id));
    expect(all).toEqual(Array.from({ length: 120 }, (_, i) => u(i)));
    expect((await page('from=121')).status).toBe(204);
    emulator.knobs.emptyPage = 'data';
    expect((await page('from=121')).body).toEqual({ data: [] });
    expect(((await page('limit=7')).body?.data as unknown[]).length).toBe(7);
    expect((await page('limit=51')).status).toBe(422);
    expect((await page('from=0')).status).toBe(422);
  });
});

describe('status, email and activity on the other reads', () => {
  beforeEach(async () => {
    emulator = await startEmulator({ seed });
    call = await rawApi(emulator);
  });

  test("a label's member list carries each member's real email and status", async () => {
    const r = await call('GET', '/api/v1/labels/501/users');
    expect((r.body?.data as Record<string, unknown>[]).map((m) => [m.id, m.emailAddress, m.status])).toEqual([
      ['1003', 'grace@navy.example.com', 'DELETED'],
      ['1001', 'ada@zylker.com', 'ACTIVE'],
    ]);
  });

  test('GET /users/{id} carries status and lastAccessedTime; a live change shows on the next read', async () => {
    const r = await call('GET', '/api/v1/users/1002');
    expect(r.body).toMatchObject({ id: '1002', status: 'DISABLED', lastAccessedTime: '2025-06-01T00:00:00Z', email: [{ emailAddress: 'alan@zylker.com', isPrimary: true, isVerified: true }] });
    const user = emulator.state.users.get('1002')!;
    user.status = 'ACTIVE';
    user.lastAccessedTime = '2026-02-01T00:00:00.000Z';
    expect((await call('GET', '/api/v1/users/1002')).body).toMatchObject({ status: 'ACTIVE', lastAccessedTime: '2026-02-01T00:00:00.000Z' });
    expect((await call('GET', '/api/v1/users?status=ACTIVE&searchBy=alan')).body?.data).toHaveLength(1);
  });

  test('a DELETED user can still be removed from a label, by either endpoint', async () => {
    expect((await call('POST', '/api/v1/labels/501/users/remove', { body: { userIds: ['1003'] } })).status).toBe(204);
    const r = await call('POST', '/api/v1/users/1003/labels/remove', { body: { labelIds: ['502'] } });
    expect(r.body?.results).toEqual([{ success: true, id: '502', errors: null }]);
    expect(emulator.state.labelsOf('1003')).toEqual([]);
  });
});

describe("a user's labels stay right however the state changes", () => {
  beforeEach(async () => {
    emulator = await startEmulator();
    call = await rawApi(emulator);
  });

  test('a test clearing a label directly, a removal and an add all show in GET /users/{id}/labels', async () => {
    const labelsOf = async (user: string) => ((await call('GET', `/api/v1/users/${user}/labels`)).body?.data as { id: string }[] | undefined)?.map((x) => x.id) ?? [];
    expect(await labelsOf(u(5))).toEqual(['24073000002958013', C]);
    emulator.state.members.get(C)?.clear();
    expect(await labelsOf(u(5))).toEqual(['24073000002958013']);
    await call('POST', `/api/v1/labels/${C}/users/add`, { body: { userIds: [u(5)] } });
    await call('POST', '/api/v1/labels/24073000002958013/users/remove', { body: { userIds: [u(5)] } });
    expect(await labelsOf(u(5))).toEqual([C]);
    expect(emulator.state.pairCount()).toBe(emulator.state.pairs().length);
    // setting a member's time again does not list the label twice; deleting a non-member changes nothing
    emulator.state.members.get(C)?.set(u(5), 0);
    expect(emulator.state.members.get(C)?.delete(u(119))).toBe(false);
    expect(emulator.state.labelsOf(u(5)).map((x) => [x.label.id, x.assignedTime])).toEqual([[C, 0]]);
  });
});
