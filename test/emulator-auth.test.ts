// The emulator's options for how Zoho refuses tokens, scopes and orgs, and its
// refresh throttle (issue 10), observed over real HTTP with plain fetch.
import { jest } from '@jest/globals';
import { Auth } from '../src/emulator/auth.js';
import { knobsFrom, type EmulatorOptions } from '../src/emulator/knobs.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { rawApi, rawToken } from './helpers/emulator.js';
import { A } from './helpers/seed.js';

let emulator: RunningEmulator;
async function start(options: EmulatorOptions = {}): Promise<void> {
  emulator = await startEmulator(options);
}
afterEach(() => emulator?.close());

const INVALID = 'The OAuth Token you provided is invalid.';
const THROTTLE_EN = { error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.', status: 'failure' };

/**
 * The clock the emulator's token endpoint reads (Date.now), run ahead by what
 * `pass` adds: a test waits out a block without sleeping. Restored after each test.
 */
function clockAhead(): { pass: (ms: number) => void } {
  const real = Date.now.bind(Date);
  let ahead = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => real() + ahead);
  return { pass: (ms) => void (ahead += ms) };
}
afterEach(() => jest.restoreAllMocks());

describe('orgMismatchStatus', () => {
  test.each([[{}, 401], [{ orgMismatchStatus: 403 as const }, 403]])('%j: an orgId the token does not reach answers %i OAUTH_ORG_MISMATCH', async (options, status) => {
    await start(options);
    const call = await rawApi(emulator);
    const r = await call('GET', `/api/v1/labels/${A}`, { headers: { orgId: '999' } });
    expect([r.status, r.body?.errorCode]).toEqual([status, 'OAUTH_ORG_MISMATCH']);
    expect((await call('GET', `/api/v1/labels/${A}`)).status).toBe(200);
  });
});

describe('scopeError: a call needing a scope the token lacks', () => {
  test.each([
    [{}, 401, 'SCOPE_MISMATCH'],
    [{ scopeError: 'INVALID_OAUTH-401' as const }, 401, 'INVALID_OAUTH'],
    [{ scopeError: 'INVALID_OAUTH-403' as const }, 403, 'INVALID_OAUTH'],
  ])('%j answers %i %s', async (options, status, code) => {
    await start({ ...options, scopes: ['Desk.contacts.READ', 'Desk.settings.READ'] });
    const call = await rawApi(emulator);
    // reads the token's scopes allow are served; the write is refused
    expect((await call('GET', `/api/v1/labels/${A}`)).status).toBe(200);
    const r = await call('POST', `/api/v1/labels/${A}/users/remove`, { body: { userIds: ['1060099000000334001'] } });
    expect([r.status, r.body?.errorCode]).toEqual([status, code]);
    if (code === 'INVALID_OAUTH') {
      // the same words as an expired token: nothing in the body tells them apart
      const forged = await call('GET', `/api/v1/labels/${A}`, { headers: { authorization: 'Zoho-oauthtoken 1000.forged' } });
      expect(r.body).toEqual(forged.body);
      expect(r.body?.message).toBe(INVALID);
    }
    expect(emulator.state.has(A, '1060099000000334001')).toBe(true);
  });
});

describe('the refresh throttle', () => {
  test('unlimited by default', async () => {
    await start();
    for (let i = 0; i < 15; i += 1) expect((await rawToken(emulator)).body?.access_token).toEqual(expect.any(String));
  });

  test('after N refreshes: HTTP 400 "Access Denied" to every request, even a correct one; silence lifts it', async () => {
    const clock = clockAhead();
    await start({ refreshThrottleAfter: 3, refreshThrottleSeconds: 30 });
    for (let i = 0; i < 3; i += 1) expect((await rawToken(emulator)).status).toBe(200);
    const refused = await rawToken(emulator);
    expect([refused.status, refused.body]).toEqual([400, THROTTLE_EN]);
    expect((await rawToken(emulator, { refresh_token: 'wrong' })).body).toEqual(THROTTLE_EN);
    expect(emulator.tokenRequests.map((t) => [t.ok, t.error])).toEqual([[true, undefined], [true, undefined], [true, undefined], [false, 'throttled'], [false, 'throttled']]);
    clock.pass(45_000);
    const again = await rawToken(emulator);
    expect([again.status, again.body?.access_token]).toEqual([200, expect.any(String)]);
    // tokens issued before the throttle still serve calls
    const call = await rawApi(emulator);
    expect((await call('GET', `/api/v1/labels/${A}`)).status).toBe(200);
  });

  test('each refused request extends the block: it lifts only after refreshThrottleSeconds counted from the last one', async () => {
    const clock = clockAhead();
    await start({ refreshThrottleAfter: 1, refreshThrottleSeconds: 60 });
    await rawToken(emulator);
    expect((await rawToken(emulator)).status).toBe(400); // t0: blocked until t0 + 60 s
    clock.pass(40_000);
    expect((await rawToken(emulator)).status).toBe(400); // extends to t0 + 100 s
    clock.pass(40_000);
    expect((await rawToken(emulator)).status).toBe(400); // t0 + 80 s: lifted by now without the extension
    clock.pass(75_000);
    expect((await rawToken(emulator)).status).toBe(200);
  });

  test('zh: the same refusal in Chinese', async () => {
    await start({ refreshThrottleAfter: 0, refreshThrottleLocale: 'zh' });
    const r = await rawToken(emulator);
    expect([r.status, r.body]).toEqual([400, { error: '拒绝访问', error_description: '您连续发出的请求太多。请稍后再试。', status: 'failure' }]);
  });

  test('the window is a rolling 10 minutes: older refreshes do not count', () => {
    let now = 1_000_000;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const knobs = knobsFrom({ refreshThrottleAfter: 2, refreshThrottleSeconds: 900 });
      const auth = new Auth(knobs, { clientId: 'c', clientSecret: 's', refreshToken: 'r' }, ['1']);
      const refresh = () => auth.token(new URLSearchParams({ grant_type: 'refresh_token', client_id: 'c', client_secret: 's', refresh_token: 'r' }), new URLSearchParams()).status;
      expect([refresh(), refresh()]).toEqual([200, 200]);
      now += 9 * 60_000;
      expect(refresh()).toBe(400); // both within 10 minutes
      now += 15 * 60_000 + 1; // 15 minutes of silence lift it
      expect(refresh()).toBe(200);
      now += 10 * 60_000 + 1; // that refresh has left the window
      expect([refresh(), refresh(), refresh()]).toEqual([200, 200, 400]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('apiDomain', () => {
  test('the token answer names www.zohoapis.com by default, or what the option says', async () => {
    await start();
    expect((await rawToken(emulator)).body?.api_domain).toBe('https://www.zohoapis.com');
    emulator.knobs.apiDomain = 'https://www.zohoapis.eu';
    expect((await rawToken(emulator)).body).toEqual({ access_token: expect.any(String), expires_in: 3600, api_domain: 'https://www.zohoapis.eu', token_type: 'Bearer' });
  });
});
