import type { RunningEmulator } from '../src/emulator/server.js';
import { TokenRefreshError } from '../src/errors/TokenRefreshError.js';
import { ZohoApiError } from '../src/errors/ZohoApiError.js';
import { TokenSource } from '../src/zoho/auth.js';
import { clientFor, rejection, withEmulator } from './helpers/emulator.js';

const label = '24073000002958013';

describe('authentication against the emulator', () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    ({ emulator } = await withEmulator());
  });
  afterEach(() => emulator.close());

  test('sends Zoho-oauthtoken and orgId; refreshes once for many calls', async () => {
    const client = clientFor(emulator);
    await client.call('getLabel', { path: { labelId: label } });
    await client.call('listHelpCenters', { query: {} });
    expect(emulator.tokenRequests).toHaveLength(1);
    expect(emulator.calls.map((c) => [c.status, c.orgId])).toEqual([
      [200, '2389290'],
      [200, '2389290'],
    ]);
  });

  test('listing organizations sends no orgId header', async () => {
    const client = clientFor(emulator);
    const orgs = await client.call('listOrganizations', {});
    expect(orgs.data.map((o) => o.id)).toEqual(['2389290']);
    expect(emulator.calls[0]?.orgId).toBeUndefined();
  });

  test('a token dying under 20 concurrent callers costs exactly one refresh', async () => {
    const client = clientFor(emulator);
    await client.call('getLabel', { path: { labelId: label } });
    expect(emulator.tokenRequests).toHaveLength(1);
    emulator.expireTokens();
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.call('getLabel', { path: { labelId: label } })));
    expect(answers.every((a) => a.id === label)).toBe(true);
    expect(emulator.tokenRequests).toHaveLength(2);
    // 1 first call + 20 refused with INVALID_OAUTH + 20 retried after the single refresh
    expect(emulator.calls.filter((c) => c.errorCode === 'INVALID_OAUTH')).toHaveLength(20);
    expect(emulator.calls.filter((c) => c.status === 200)).toHaveLength(21);
  });

  test('a token that lives a few calls is renewed transparently, one refresh per death', async () => {
    emulator.knobs.tokenLifetimeCalls = 3;
    const client = clientFor(emulator);
    for (let i = 0; i < 9; i += 1) await client.call('getLabel', { path: { labelId: label } });
    expect(emulator.tokenRequests.filter((t) => t.ok)).toHaveLength(3);
    expect(emulator.calls.filter((c) => c.status === 200)).toHaveLength(9);
  });

  test('the token is renewed before its expires_in runs out, without a refused call', async () => {
    emulator.knobs.tokenLifetimeSeconds = 61; // renewed a minute early: at most 30 s of use here
    let now = 0;
    // A fake clock for the token source only; the emulator keeps real time.
    const tokens = new TokenSource({ accountsUrl: emulator.url, credentials: { kind: 'refresh', ...emulator.credentials }, now: () => now });
    const timed = clientFor(emulator, { tokens });
    await timed.call('getLabel', { path: { labelId: label } });
    now += 31_000;
    await timed.call('getLabel', { path: { labelId: label } });
    expect(emulator.tokenRequests).toHaveLength(2);
    expect(emulator.calls.map((c) => c.status)).toEqual([200, 200]);
  });

  test.each([
    ['ZOHO_REFRESH_TOKEN', 'invalid_code', { ZOHO_REFRESH_TOKEN: '1000.wrong-refresh-token' }],
    ['ZOHO_CLIENT_ID', 'invalid_client', { ZOHO_CLIENT_ID: '1000.WRONG' }],
    ['ZOHO_CLIENT_SECRET', 'invalid_client_secret', { ZOHO_CLIENT_SECRET: 'wrong-secret-value' }],
  ])('a token endpoint answering 200 {"error"} is an auth failure naming %s', async (variable, zohoError, env) => {
    const client = clientFor(emulator, {}, env);
    const error = await rejection(client.call('getLabel', { path: { labelId: label } }));
    expect(error).toBeInstanceOf(TokenRefreshError);
    const e = error as TokenRefreshError;
    expect(e.code).toBe('AUTH');
    expect(e.zohoError).toBe(zohoError);
    expect(e.status).toBe(200);
    expect(e.message).toContain(variable);
    for (const secret of [...Object.values(env), emulator.credentials.clientSecret, emulator.credentials.refreshToken]) {
      expect(e.message).not.toContain(secret);
      expect(JSON.stringify(e)).not.toContain(secret);
    }
    expect(emulator.calls).toHaveLength(0);
  });

  test('an access token alone that is refused says how to get a refreshable setup', async () => {
    const client = clientFor(emulator, {}, { ZOHO_CLIENT_ID: '', ZOHO_CLIENT_SECRET: '', ZOHO_REFRESH_TOKEN: '', ZOHO_ACCESS_TOKEN: '1000.expired-access' });
    const e = (await rejection(client.call('getLabel', { path: { labelId: label } }))) as TokenRefreshError;
    expect(e).toBeInstanceOf(TokenRefreshError);
    expect(e.message).toMatch(/ZOHO_ACCESS_TOKEN was refused/);
    expect(e.message).toMatch(/ZOHO_REFRESH_TOKEN/);
    expect(e.message).not.toContain('1000.expired-access');
    expect(emulator.tokenRequests).toHaveLength(0);
  });

  test('a token that Desk refuses right after Accounts issued it (wrong data centre, missing scope) is auth, naming ZOHO_DC and the scopes, with no second refresh', async () => {
    emulator.knobs.inject = [{ status: 401, errorCode: 'INVALID_OAUTH', message: 'The OAuth Token you provided is invalid.' }];
    const client = clientFor(emulator);
    const e = (await rejection(client.call('getLabel', { path: { labelId: label } }))) as ZohoApiError;
    expect(e).toBeInstanceOf(ZohoApiError);
    expect(e.kind).toBe('auth');
    expect(e.code).toBe('AUTH');
    expect(e.status).toBe(401);
    expect(e.message).toContain(`GET /api/v1/labels/${label}`);
    expect(e.message).toContain('ZOHO_DC');
    expect(e.message).toContain('Desk.contacts.UPDATE');
    // no call was ever accepted with this token: a second refresh would be refused the same way
    expect(emulator.tokenRequests).toHaveLength(1);
    expect(emulator.calls).toHaveLength(1);
  });

  test('missing scopes: the message names the scopes to grant, and no refresh is wasted on it', async () => {
    emulator.knobs.scopes = ['Desk.contacts.READ'];
    const client = clientFor(emulator);
    const e = (await rejection(client.call('removeUsersFromLabel', { path: { labelId: label }, body: { userIds: ['1060099000000334001'] } }))) as ZohoApiError;
    expect(e.errorCode).toBe('SCOPE_MISMATCH');
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('Desk.settings.UPDATE');
    expect(emulator.tokenRequests).toHaveLength(1);
  });

  test('an org id the token does not belong to: the message points at ZOHO_ORG_ID', async () => {
    const client = clientFor(emulator, {}, { ZOHO_ORG_ID: '999999' });
    const e = (await rejection(client.call('getLabel', { path: { labelId: label } }))) as ZohoApiError;
    expect(e.errorCode).toBe('OAUTH_ORG_MISMATCH');
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('ZOHO_ORG_ID');
    expect(e.message).toContain('999999');
  });

  test.each([
    ['FORBIDDEN', 403, /administrator/],
    ['LICENSE_ACCESS_LIMITED', 403, /edition/],
  ])('%s is an auth failure with its fix', async (errorCode, status, fix) => {
    emulator.knobs.inject = [{ status, errorCode }];
    const e = (await rejection(clientFor(emulator).call('getLabel', { path: { labelId: label } }))) as ZohoApiError;
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(fix);
  });
});
