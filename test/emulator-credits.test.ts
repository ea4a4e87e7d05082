// Credits and concurrency (issue 11): the emulator charges Zoho's weights,
// reports them in headers, refuses past the day's budget, and counts calls in
// flight from their arrival.
import { request } from 'node:http';
import { creditWeight } from '../src/emulator/credits.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { endpoints, type EndpointName } from '../src/zoho/endpoints.js';
import { rawApi, rawToken, until } from './helpers/emulator.js';
import { A, u } from './helpers/seed.js';

let emulator: RunningEmulator;
let call: Awaited<ReturnType<typeof rawApi>>;
beforeEach(async () => {
  emulator = await startEmulator();
  call = await rawApi(emulator);
});
afterEach(() => emulator.close());

const remaining = (r: { headers: Headers }) => r.headers.get('x-rate-limit-remaining-v3');
const weight = (r: { headers: Headers }) => r.headers.get('x-rate-limit-request-weight-v3');

test("creditWeight is Zoho's table: get-by-id and writes 1, lists 3 and more at deep offsets", () => {
  const expected: Record<EndpointName, number> = {
    removeUsersFromLabel: 1,
    removeLabelsFromUser: 1,
    addUsersToLabel: 1,
    getLabel: 1,
    getUser: 1,
    listLabelUsers: 3,
    listUserLabels: 3,
    listLabels: 3,
    listHelpCenters: 3,
    listUsers: 3,
    listOrganizations: 3,
  };
  expect(Object.fromEntries((Object.keys(endpoints) as EndpointName[]).map((e) => [e, creditWeight(e)]))).toEqual(expected);
  const at = (from: number) => creditWeight('listUsers', new URLSearchParams({ from: String(from) }));
  expect([1, 2000, 2001, 10_000, 10_001, 50_000, 50_001, 100_000, 100_001].map(at)).toEqual([3, 3, 5, 5, 10, 10, 25, 25, 100]);
  expect(creditWeight('getLabel', { from: 5000 })).toBe(1);
  expect(creditWeight('listLabelUsers', { from: 5000 })).toBe(5);
});

test('every API answer carries the weight and what is left; each call is charged its weight', async () => {
  emulator.knobs.dailyCredits = 200;
  const seen: [string | null, string | null, number][] = [];
  const record = async (r: Promise<{ status: number; headers: Headers }>) => {
    const a = await r;
    seen.push([weight(a), remaining(a), a.status]);
  };
  await record(call('GET', `/api/v1/labels/${A}`));
  await record(call('GET', `/api/v1/labels/${A}/users?from=2001`));
  await record(call('GET', '/api/v1/users?status=ALL'));
  await record(call('POST', `/api/v1/labels/${A}/users/remove`, { body: { userIds: [u(1)] } }));
  await record(call('GET', `/api/v1/labels/${A}/users?limit=51`));
  await record(call('GET', '/api/v1/organizations', { headers: { orgId: '' } }));
  expect(seen).toEqual([
    ['1', '199', 200],
    ['5', '194', 204],
    ['3', '191', 200],
    ['1', '190', 204],
    ['3', '187', 422],
    ['3', '184', 200],
  ]);
  expect(emulator.credits.used).toBe(16);
});

test('answers that cost nothing still carry the headers: a 401, and the 404 of a path Zoho lacks', async () => {
  emulator.knobs.dailyCredits = 10;
  const unauth = await call('GET', `/api/v1/labels/${A}`, { headers: { authorization: '' } });
  const unknown = await call('GET', '/api/v1/badges');
  expect([unauth.status, weight(unauth), remaining(unauth)]).toEqual([401, '1', '10']);
  expect([unknown.status, weight(unknown), remaining(unknown)]).toEqual([404, '1', '10']);
  expect(emulator.credits.used).toBe(0);
});

test('creditHeaders omit: no answer carries the headers, and every call is charged as before', async () => {
  Object.assign(emulator.knobs, { dailyCredits: 10, creditHeaders: 'omit' });
  const answers = [
    await call('GET', `/api/v1/labels/${A}`),
    await call('GET', `/api/v1/labels/${A}/users`),
    await call('POST', `/api/v1/labels/${A}/users/remove`, { body: { userIds: [u(1)] } }),
    await call('GET', `/api/v1/labels/${A}`, { headers: { authorization: '' } }),
  ];
  expect(answers.map((a) => [a.status, weight(a), remaining(a)])).toEqual([
    [200, null, null],
    [200, null, null],
    [204, null, null],
    [401, null, null],
  ]);
  expect(emulator.credits.remaining).toBe(5);
  expect((await call('GET', `/api/v1/labels/${A}/users`)).status).toBe(200);
  const spent = await call('GET', `/api/v1/labels/${A}/users`);
  expect([spent.status, spent.body?.errorCode, Number(spent.headers.get('retry-after')) > 0, remaining(spent)]).toEqual([429, 'THRESHOLD_EXCEEDED', true, null]);
});

test('the token endpoint and /__emulator/log carry no credit headers', async () => {
  expect(remaining(await rawToken(emulator))).toBeNull();
  expect(remaining(await fetch(`${emulator.url}/__emulator/log`))).toBeNull();
});

test('a call weighing more than is left: 429 THRESHOLD_EXCEEDED with Retry-After to UTC midnight, costing nothing', async () => {
  emulator.knobs.dailyCredits = 5;
  emulator.credits.used = 3;
  expect(emulator.knobs.creditsUsed).toBe(3);
  const list = await call('GET', '/api/v1/labels');
  expect([list.status, list.body?.errorCode, weight(list), remaining(list)]).toEqual([429, 'THRESHOLD_EXCEEDED', '3', '2']);
  const now = new Date();
  const toMidnight = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
  expect(Math.abs(Number(list.headers.get('retry-after')) - toMidnight)).toBeLessThan(5);
  expect(emulator.credits.used).toBe(3);
  // a lighter call still fits
  const get = await call('GET', `/api/v1/labels/${A}`);
  expect([get.status, remaining(get)]).toEqual([200, '1']);
  expect(emulator.credits).toMatchObject({ used: 4, remaining: 1 });
  // credits set back live
  emulator.knobs.creditsUsed = 0;
  expect(remaining(await call('GET', '/api/v1/labels'))).toBe('2');
});

test('unlimited credits (default) report 1,000,000 left and never refuse', async () => {
  const r = await call('GET', '/api/v1/labels');
  expect([r.status, remaining(r), weight(r)]).toEqual([200, '1000000', '3']);
  expect(emulator.credits.used).toBe(3);
});

test('429 TOO_MANY_REQUESTS costs no credit and has no Retry-After', async () => {
  emulator.knobs.concurrencyLimit = 1;
  emulator.knobs.latencyMs = 100;
  emulator.knobs.dailyCredits = 50;
  const both = await Promise.all([call('GET', `/api/v1/labels/${A}`), call('GET', `/api/v1/labels/${A}`)]);
  const refused = both.find((r) => r.status === 429)!;
  expect([refused.body?.errorCode, refused.headers.get('retry-after')]).toEqual(['TOO_MANY_REQUESTS', null]);
  expect(emulator.credits.used).toBe(1);
});

test('a call is in flight from its arrival: one still sending its body holds the only slot', async () => {
  emulator.knobs.concurrencyLimit = 1;
  const token = (await rawToken(emulator)).body?.access_token as string;
  const { hostname, port } = new URL(emulator.url);
  const slow = request({ hostname, port, method: 'POST', path: `/api/v1/labels/${A}/users/remove`, headers: { authorization: `Zoho-oauthtoken ${token}`, orgId: '2389290', 'content-type': 'application/json' } });
  const answered = new Promise<number>((resolve) => slow.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0))));
  slow.write('{"userIds":');
  await new Promise((r) => setTimeout(r, 100));
  const meanwhile = await call('GET', `/api/v1/labels/${A}`);
  expect([meanwhile.status, meanwhile.body?.errorCode]).toEqual([429, 'TOO_MANY_REQUESTS']);
  slow.end(`["${u(1)}"]}`);
  expect(await answered).toBe(204);
  expect(emulator.state.has(A, u(1))).toBe(false);
  await until(() => emulator.calls.length === 2);
  expect((await call('GET', `/api/v1/labels/${A}`)).status).toBe(200);
});

test('/__emulator/log reports credits used and left, and the 429s by code', async () => {
  emulator.knobs.dailyCredits = 4;
  await call('GET', '/api/v1/labels');
  await call('GET', '/api/v1/labels');
  emulator.knobs.inject = [{ status: 429, errorCode: 'TOO_MANY_REQUESTS', times: 1 }];
  await call('GET', `/api/v1/labels/${A}`);
  const log = (await (await fetch(`${emulator.url}/__emulator/log`)).json()) as Record<string, unknown>;
  expect(log).toMatchObject({ creditsUsed: 4, creditsRemaining: 0, refused429: { THRESHOLD_EXCEEDED: 1, TOO_MANY_REQUESTS: 1 }, pairs: 170 });
  emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;
  expect(((await (await fetch(`${emulator.url}/__emulator/log`)).json()) as Record<string, unknown>).creditsRemaining).toBeNull();
});
