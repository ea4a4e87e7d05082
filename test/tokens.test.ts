// Tokens as real Zoho hands them out (issue 10): dying under load, throttled
// refreshes, org mismatch as 403, missing scopes reported as INVALID_OAUTH,
// and a token issued by another data centre than ZOHO_DC.
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { configFromEnv } from '../src/zoho/config.js';
import { cli, readResults, tempDir, writePairs } from './helpers/cli.js';
import { A, B, u } from './helpers/seed.js';

const FAST = ['--retry-base-ms', '5'];
const noSecrets = (emulator: RunningEmulator, text: string) => {
  for (const secret of [emulator.credentials.clientSecret, emulator.credentials.refreshToken, 'emu-access-']) expect(text).not.toContain(secret);
};

describe('tokens', () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => emulator.close());
  const pairs: [string, string][] = [...Array.from({ length: 80 }, (_, i) => [u(i), A] as [string, string]), ...Array.from({ length: 80 }, (_, i) => [u(40 + i), B] as [string, string])];

  test('tokens that die every 10 calls, 12 calls in flight: the run finishes (exit 0) with one refresh per death', async () => {
    emulator = await startEmulator({ tokenLifetimeCalls: 10, latencyMs: 5 });
    const r = await cli(['remove', await writePairs(dir, pairs), '--batch-size', '2', '--concurrency', '12', '--no-guard', ...FAST], { env: emulator.env, cwd: dir });
    expect([r.code, r.code === 0 ? '' : r.stderr]).toEqual([0, '']);
    expect(pairs.every(([x, l]) => !emulator.state.has(l, x))).toBe(true);
    const calls = emulator.calls.length;
    expect(emulator.calls.some((c) => c.errorCode === 'INVALID_OAUTH')).toBe(true);
    // one refresh per token death (every 10 calls), never one per refused caller
    expect(emulator.tokenRequests.length).toBeLessThanOrEqual(Math.ceil(calls / 10) + 1);
    noSecrets(emulator, r.stderr);
  });

  test.each(['en', 'zh'] as const)("Zoho Accounts' refresh throttle (%s): exit 3, wait 15-30 minutes, and no second token request", async (locale) => {
    emulator = await startEmulator({ tokenLifetimeCalls: 4, refreshThrottleAfter: 1, refreshThrottleLocale: locale });
    const r = await cli(['remove', await writePairs(dir, pairs.slice(0, 40)), '--batch-size', '2', '--concurrency', '1', '--no-guard', ...FAST], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('throttling this client for too many token requests');
    expect(r.stderr).toContain('Wait 15–30 minutes before running again: every request meanwhile extends the block');
    expect(r.stderr).not.toContain('check ZOHO_CLIENT_ID');
    // the refused refresh is not repeated: it would extend the block
    expect(emulator.tokenRequests.filter((t) => !t.ok)).toHaveLength(1);
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results.filter((x) => x.status === 'removed')).toHaveLength(8);
    noSecrets(emulator, r.stderr);
  });

  test.each([401, 403] as const)('OAUTH_ORG_MISMATCH answered with %i: exit 3 naming ZOHO_ORG_ID, nothing removed', async (status) => {
    emulator = await startEmulator({ orgMismatchStatus: status });
    const r = await cli(['remove', await writePairs(dir, pairs.slice(0, 4))], { env: { ...emulator.env, ZOHO_ORG_ID: '99999' }, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('OAUTH_ORG_MISMATCH');
    expect(r.stderr).toContain('not valid for organization 99999. Check ZOHO_ORG_ID');
    expect(emulator.state.pairs().length).toBe(startPairs);
  });
  const startPairs = 80 + 80 + 10;

  test.each(['INVALID_OAUTH-401', 'INVALID_OAUTH-403', 'SCOPE_MISMATCH-401'] as const)('a missing write scope reported as %s: exit 3 naming the scopes, at most one extra refresh', async (scopeError) => {
    emulator = await startEmulator({ scopeError, scopes: ['Desk.contacts.READ', 'Desk.settings.READ', 'Desk.search.READ', 'Desk.basic.READ'] });
    const r = await cli(['remove', await writePairs(dir, pairs.slice(0, 10)), ...FAST], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Desk.contacts.UPDATE');
    expect(r.stderr).toMatch(/scope/);
    expect(emulator.tokenRequests.length).toBeLessThanOrEqual(2);
    expect(emulator.state.pairs().length).toBe(startPairs);
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results.every((x) => x.status === 'deferred' || x.status === 'failed')).toBe(true);
  });

  test('a token issued for another data centre than ZOHO_DC stops before any write, exit 2, naming both', async () => {
    emulator = await startEmulator({ apiDomain: 'https://www.zohoapis.eu' });
    const r = await cli(['remove', await writePairs(dir, pairs.slice(0, 4))], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ZOHO_DC: is "com", but Zoho Accounts issued this token for data centre "eu" (api_domain https://www.zohoapis.eu): set ZOHO_DC=eu');
    expect(emulator.calls).toHaveLength(0);
    // with ZOHO_DC=eu (URLs still pointing at the emulator) it goes through
    const ok = await cli(['remove', join(dir, 'pairs.csv'), '--out', 'eu.results.csv'], { env: { ...emulator.env, ZOHO_DC: 'eu' }, cwd: dir });
    expect(ok.code).toBe(0);
  });

  test.each(['https://www.zohoapis.example', 'not a url', ''])('an api_domain that names no known data centre (%j) proves nothing: the run goes on, exit 0', async (apiDomain) => {
    emulator = await startEmulator({ apiDomain });
    const r = await cli(['remove', await writePairs(dir, pairs.slice(0, 4))], { env: emulator.env, cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, expect.not.stringContaining('ZOHO_DC')]);
    expect(pairs.slice(0, 4).some(([x, l]) => emulator.state.has(l, x))).toBe(false);
  });

  test('data centres sg and ae; uk kept (unconfirmed)', () => {
    emulator = { close: async () => {} } as RunningEmulator;
    const base = { ZOHO_ORG_ID: '1', ZOHO_ACCESS_TOKEN: 'x' };
    expect(configFromEnv({ ...base, ZOHO_DC: 'sg' })).toMatchObject({ deskUrl: 'https://desk.zoho.sg', accountsUrl: 'https://accounts.zoho.sg' });
    expect(configFromEnv({ ...base, ZOHO_DC: 'ae' })).toMatchObject({ deskUrl: 'https://desk.zoho.ae', accountsUrl: 'https://accounts.zoho.ae' });
    expect(configFromEnv({ ...base, ZOHO_DC: 'uk' })).toMatchObject({ deskUrl: 'https://desk.zoho.uk' });
  });
});
