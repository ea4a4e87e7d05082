// Answers known from third parties only ([3P] in ZOHO-NOTES), each an emulator
// option: a refused refresh token as HTTP 200 or 400, a dead token's 401 with an
// empty body, and a batch too large refused in every plausible shape. The CLI
// runs against each, judged by exit code, results, final state and calls made.
import { join } from 'node:path';
import { tooLargeAnswers, type TooLargeAnswer } from '../src/emulator/knobs.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { splitBudgetFor } from '../src/run/execution.js';
import { cli, readResults, tempDir, writePairs } from './helpers/cli.js';
import { until } from './helpers/emulator.js';
import { A, B, u } from './helpers/seed.js';

const FAST = ['--retry-base-ms', '5'];
const pairs: [string, string][] = Array.from({ length: 40 }, (_, i) => [u(i), A]);
const held = (e: RunningEmulator, list = pairs) => list.filter(([x, l]) => e.state.has(l, x));
const statusCounts = (rows: { status: string }[]) => rows.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => emulator.close());

describe.each([200, 400] as const)('a refused refresh token answered with HTTP %i {"error":"invalid_code"}', (refreshRefusalStatus) => {
  test('before any call: exit 3 naming ZOHO_REFRESH_TOKEN (not the throttle), one token request, nothing sent', async () => {
    emulator = await startEmulator({ refreshRefusalStatus });
    const r = await cli(['remove', await writePairs(dir, pairs.slice(0, 10))], { env: { ...emulator.env, ZOHO_REFRESH_TOKEN: '1000.revoked' }, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('(invalid_code): the refresh token was refused: check ZOHO_REFRESH_TOKEN');
    expect(r.stderr).not.toContain('15–30 minutes');
    expect(r.stderr).not.toContain('1000.revoked');
    expect(emulator.tokenRequests.map((t) => [t.ok, t.error])).toEqual([[false, 'invalid_code']]);
    expect(emulator.calls).toHaveLength(0);
    expect(held(emulator, pairs.slice(0, 10))).toHaveLength(10);
  });

  test("revoked mid-run: exit 3; the rows sent stay removed, the refused call's failed (--resume sends them), the rest deferred; no second refused request", async () => {
    emulator = await startEmulator({ refreshRefusalStatus, tokenLifetimeCalls: 4, latencyMs: 5 });
    const input = await writePairs(dir, pairs);
    const run = cli(['remove', input, '--batch-size', '2', '--concurrency', '1', '--no-guard', ...FAST], { env: emulator.env, cwd: dir });
    await until(() => emulator.calls.length > 0);
    emulator.credentials.refreshToken = 'emulator-refresh-revoked';
    const r = await run;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('(invalid_code): the refresh token was refused: check ZOHO_REFRESH_TOKEN');
    expect(emulator.tokenRequests.map((t) => [t.ok, t.error])).toEqual([[true, undefined], [false, 'invalid_code']]);
    const results = await readResults(join(dir, 'pairs.results.csv'));
    // the token served 4 calls (8 rows); the fifth was refused (401): its rows were sent, not applied, and go again on --resume
    expect(statusCounts(results)).toEqual({ removed: 8, failed: 2, deferred: 30 });
    const failed = results.filter((x) => x.status === 'failed');
    expect(failed.map((x) => x.user_id)).toEqual([u(8), u(9)]);
    expect(failed.every((x) => x.message.startsWith('not finished: sent 1 time(s)') && x.message.endsWith('--resume sends it again'))).toBe(true);
    expect(failed.map((x) => x.message).filter((m) => m.includes('.;'))).toEqual([]); // a quoted sentence loses its full stop
    expect(held(emulator)).toEqual(pairs.slice(8));
    expect(emulator.calls.map((c) => c.status)).toEqual([204, 204, 204, 204, 401]);
  });
});

describe('invalidTokenBody empty: a dead token refused with a 401 and no body', () => {
  test('tokens that die every 10 calls, 12 in flight: one refresh per death, the run finishes (exit 0)', async () => {
    emulator = await startEmulator({ invalidTokenBody: 'empty', tokenLifetimeCalls: 10, latencyMs: 5 });
    const both = [...pairs, ...Array.from({ length: 40 }, (_, i) => [u(40 + i), B] as [string, string])];
    const r = await cli(['remove', await writePairs(dir, both), '--batch-size', '2', '--concurrency', '12', '--no-guard', ...FAST], { env: emulator.env, cwd: dir });
    expect([r.code, r.code === 0 ? '' : r.stderr]).toEqual([0, '']);
    expect(held(emulator, both)).toEqual([]);
    const refused = emulator.calls.filter((c) => c.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((c) => c.answer === undefined && c.errorCode === undefined)).toBe(true);
    expect(emulator.tokenRequests.length).toBeLessThanOrEqual(Math.ceil(emulator.calls.length / 10) + 1);
    expect((await readResults(join(dir, 'pairs.results.csv'))).every((x) => x.status === 'removed')).toBe(true);
  });

  test('a token Desk refuses from its first call: exit 3 with the data centre and scope advice, no second refresh, no crash', async () => {
    emulator = await startEmulator({ invalidTokenBody: 'empty', tokenLifetimeCalls: 0 });
    const r = await cli(['remove', await writePairs(dir, pairs.slice(0, 10))], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('HTTP 401');
    expect(r.stderr).toContain('Zoho Desk refused a token that Zoho Accounts had just issued: check ZOHO_DC');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(emulator.tokenRequests).toHaveLength(1);
    expect(emulator.calls.map((c) => c.status)).toEqual([401]);
    expect(held(emulator, pairs.slice(0, 10))).toHaveLength(10);
    expect(statusCounts(await readResults(join(dir, 'pairs.results.csv')))).toEqual({ deferred: 10 });
  });
});

describe('a batch too large (maxIdsPerCall 4, batches of 10)', () => {
  const run = async (tooLarge: TooLargeAnswer) => {
    emulator = await startEmulator({ maxIdsPerCall: 4, tooLarge });
    const input = await writePairs(dir, pairs);
    const r = await cli(['remove', input, '--batch-size', '10', '--concurrency', '1', '--no-guard', ...FAST], { env: emulator.env, cwd: dir });
    const writes = emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel');
    return { r, input, writes, refused: writes.filter((c) => c.status !== 204), results: await readResults(join(dir, 'pairs.results.csv')) };
  };
  const recognised = tooLargeAnswers.filter((a) => a !== '422-bare' && a !== '422-empty');

  test.each(recognised)('%s is recognised: the size is halved and kept, two refusals in all, exit 0', async (shape) => {
    const { r, writes, refused, results } = await run(shape);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('batches were cut to 2 IDs; use --batch-size 2 next time');
    // 10 refused, then one of its halves of 5; from there every batch goes in 2s: 2+2+1 for each half, 2×5 for the 3 others
    expect(refused.map((c) => [c.status, c.ids.length])).toEqual([[shape.startsWith('413') ? 413 : 422, 10], [shape.startsWith('413') ? 413 : 422, 5]]);
    expect(writes).toHaveLength(2 + 6 + 15);
    expect(results.every((x) => x.status === 'removed')).toBe(true);
    expect(held(emulator)).toEqual([]);
  });

  // Refused in words that do not say why (or with no body at all), a batch too large cannot be told from
  // a refusal of some of its IDs: the tool splits it as such, within the run's budget for isolating refused
  // IDs, and no row gets a final status by guess. What the budget left is `failed`, and --resume finishes it.
  test.each(['422-bare', '422-empty'] as const)('%s cannot be told apart: splits stay within the budget, no final status by guess, --resume finishes', async (shape) => {
    const { r, input, writes, results } = await run(shape);
    expect(r.code).toBe(1);
    expect(writes.length).toBeLessThanOrEqual(4 + splitBudgetFor(4));
    const failed = results.filter((x) => x.status === 'failed');
    expect(statusCounts(results)).toEqual({ removed: 40 - failed.length, failed: failed.length });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((x) => x.message.includes("budget for isolating refused IDs") && x.message.endsWith('--resume tries again'))).toBe(true);
    // removed means gone, failed means still held
    expect(held(emulator).map(([x]) => x)).toEqual(failed.map((x) => x.user_id));

    const again = await cli(['remove', input, '--resume', '--batch-size', '10', '--concurrency', '1', '--no-guard', ...FAST], { env: emulator.env, cwd: dir });
    expect(again.code).toBe(0);
    expect(held(emulator)).toEqual([]);
    expect(emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel').length - writes.length).toBeLessThanOrEqual(2 + splitBudgetFor(2) + failed.length);
  });
});
