import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { defaultSeed } from '../src/emulator/seed.js';
import { cli, readResults, tempDir, writePairs } from './helpers/cli.js';
import { eachTest } from './helpers/emulator.js';
import { A, B, C, u } from './helpers/seed.js';

const FAST = ['--retry-base-ms', '5'];

describe('zdlabels remove against the emulator', () => {
  const t = eachTest();

  const removeCalls = () => t.emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel' || c.endpoint === 'removeLabelsFromUser');
  const gone = (pairs: [string, string][]) => pairs.every(([user, label]) => !t.emulator.state.has(label, user));

  test('removes exactly the requested pairs; 19-digit IDs round-trip exactly; exit 0', async () => {
    const before = t.emulator.state.pairs();
    const pairs: [string, string][] = [...Array.from({ length: 60 }, (_, i) => [u(i), A] as [string, string]), [u(100), B], [u(3), C]];
    const input = await writePairs(t.dir, pairs);
    const r = await cli(['remove', input, '--json'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    const after = t.emulator.state.pairs();
    expect(before.filter((p) => !after.includes(p)).sort()).toEqual(pairs.map(([x, l]) => `${x}:${l}`).sort());
    expect(after.every((p) => before.includes(p))).toBe(true);

    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => [x.row, x.user_id, x.label_id, x.status])).toEqual(pairs.map(([x, l], i) => [String(i + 1), x, l, 'removed']));
    // the IDs on the wire were the strings from the file
    expect(removeCalls().flatMap((c) => c.ids).sort()).toEqual(pairs.map(([x]) => x).sort());
    expect(removeCalls().every((c) => JSON.stringify(c.body).includes('"1060099000000334'))).toBe(true);

    const summary = JSON.parse(r.stdout) as { counts: Record<string, number>; calls: number; exitCode: number; grouping: string };
    expect(summary.counts.removed).toBe(62);
    expect(summary.exitCode).toBe(0);
    // 60 users on A (2 calls by label) + 2 single pairs: 4 calls is the fewest
    expect(removeCalls()).toHaveLength(4);
    expect(summary.calls).toBe(4);
    expect(r.stderr).toContain('62 removed');
  });

  test('one unknown user in a batch of 50 costs only its own row', async () => {
    const pairs: [string, string][] = Array.from({ length: 50 }, (_, i) => [u(i), A]);
    pairs[17] = ['1060099000000999999', A];
    const input = await writePairs(t.dir, pairs);
    const r = await cli(['remove', input], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.filter((x) => x.status !== 'removed').map((x) => [x.row, x.status, x.http_status, x.error_code])).toEqual([['18', 'not_found', '422', 'INVALID_DATA']]);
    expect(results[17]!.message).toContain('user 1060099000000999999 does not exist');
    expect(gone(pairs.filter((_, i) => i !== 17))).toBe(true);
    expect(t.emulator.state.has(A, u(17))).toBe(true); // not in the input: untouched
    // bisection: log2(50) levels, two calls per level at most
    expect(removeCalls().length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(50)));
  });

  test('an unknown label costs one check, not a bisection; its rows are not_found', async () => {
    const pairs: [string, string][] = Array.from({ length: 20 }, (_, i) => [u(i), '24073000009999999']);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--by', 'label', '--no-guard'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(new Set(results.map((x) => x.status))).toEqual(new Set(['not_found']));
    expect(results[0]!.message).toContain('label 24073000009999999 does not exist');
    expect(t.emulator.calls.map((c) => c.endpoint)).toEqual(['removeUsersFromLabel', 'getLabel']);
  });

  test('by user: a per-ID failure inside the 200 lands on exactly that row; helpCenterId is sent', async () => {
    const pairs: [string, string][] = [
      [u(45), A],
      [u(45), '24073000009999999'],
      [u(45), B],
    ];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--by', 'user', '--help-center-id', '24073000002886005'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => [x.status, x.http_status])).toEqual([
      ['removed', '200'],
      ['not_found', '422'],
      ['removed', '200'],
    ]);
    // the label was read to be missing before the row was called not_found
    expect(results[1]!.message).toBe('label 24073000009999999 does not exist in this organization (Zoho answered 422 INVALID_DATA "Label not found")');
    expect(t.emulator.calls.some((c) => c.endpoint === 'getLabel' && c.path.endsWith('24073000009999999'))).toBe(true);
    expect(removeCalls()).toHaveLength(1);
    expect(removeCalls()[0]!.query).toEqual({ helpCenterId: '24073000002886005' });
    expect(gone([[u(45), A], [u(45), B]])).toBe(true);
  });

  test('--dry-run sends nothing, marks rows planned and gives the plan', async () => {
    const pairs: [string, string][] = [...Array.from({ length: 55 }, (_, i) => [u(i), A] as [string, string]), [u(1), C]];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--dry-run', '--json'], { env: {}, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(t.emulator.calls).toHaveLength(0);
    expect(t.emulator.tokenRequests).toHaveLength(0);
    const s = JSON.parse(r.stdout) as { labels: number; users: number; batches: number; calls: number; counts: Record<string, number> };
    expect([s.labels, s.users, s.batches, s.calls, s.counts.planned]).toEqual([2, 55, 3, 3, 56]);
    expect(r.stderr).toContain('plan: 2 labels, 55 users, 3 batches');
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(new Set(results.map((x) => x.status))).toEqual(new Set(['planned']));
    expect(results.every((x) => x.batch_id !== '')).toBe(true);
  });

  test('--max-removals stops a larger plan before any write: exit 5', async () => {
    const pairs: [string, string][] = Array.from({ length: 30 }, (_, i) => [u(i), A]);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--max-removals', '29'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('removes 30 pairs, more than --max-removals 29; nothing was sent');
    expect(t.emulator.calls).toHaveLength(0);
    expect((await cli(['remove', await writePairs(t.dir, pairs), '--max-removals', '30'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
  });

  test('--out naming the input itself is refused before anything is written or sent', async () => {
    const input = await writePairs(t.dir, [[u(1), A]]);
    const before = await readFile(input, 'utf8');
    const r = await cli(['remove', input, '--out', input], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out is the input');
    expect(r.stderr).toContain('writing it would destroy the input');
    expect(await readFile(input, 'utf8')).toBe(before);
    expect(t.emulator.calls).toHaveLength(0);
  });

  test('results: one line per row in input order, all columns, formulas escaped', async () => {
    const input = join(t.dir, 'in.csv');
    await writeFile(input, `user_id,label_id\n${u(1)},${A}\n"=HYPERLINK(""http://x"")",${A}\n${u(1)},${A}\n@SUM(1),-2\n${u(2)},${A}\n`);
    const r = await cli(['remove', input, '--out', 'custom.csv'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const text = await readFile(join(t.dir, 'custom.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('row,user_id,label_id,status,http_status,error_code,message,attempts,batch_id,finished_at');
    const results = await readResults(join(t.dir, 'custom.csv'));
    expect(results.map((x) => [x.row, x.user_id, x.label_id, x.status])).toEqual([
      ['1', u(1), A, 'removed'],
      ['2', `'=HYPERLINK("http://x")`, A, 'invalid'],
      ['3', u(1), A, 'duplicate'],
      ['4', "'@SUM(1)", "'-2", 'invalid'],
      ['5', u(2), A, 'removed'],
    ]);
    expect(results[2]!.message).toBe('line 4: same pair as row 1');
    expect(results[0]!.attempts).toBe('1');
    expect(results[0]!.finished_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('a batch refused for its size is split, and the smaller size kept', async () => {
    t.emulator.knobs.maxIdsPerCall = 10;
    const pairs: [string, string][] = Array.from({ length: 80 }, (_, i) => [u(i), A]);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--json', '--concurrency', '1', '--no-guard'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(gone(pairs)).toBe(true);
    const refused = removeCalls().filter((c) => c.errorCode === 'RESOURCE_SIZE_EXCEEDED');
    // 50 → refused, 25 → refused, 12 → refused, 6 fits; the second batch (30) starts at 6 directly
    expect(refused.map((c) => c.ids.length)).toEqual([50, 25, 12]);
    expect(removeCalls().filter((c) => c.status === 204).every((c) => c.ids.length <= 6)).toBe(true);
    expect((JSON.parse(r.stdout) as { batchSizeCap: number }).batchSizeCap).toBe(6);
    expect(r.stderr).toContain('use --batch-size 6 next time');
  });

  test('500s, dropped connections, dying tokens and 429s lose nothing', async () => {
    Object.assign(t.emulator.knobs, { errorRate: 0.15, dropRate: 0.1, tokenLifetimeCalls: 7, concurrencyLimit: 3, faultSeed: 3, latencyMs: 5 });
    const pairs: [string, string][] = [...Array.from({ length: 80 }, (_, i) => [u(i), A] as [string, string]), ...Array.from({ length: 80 }, (_, i) => [u(i + 40), B] as [string, string])];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--batch-size', '5', '--concurrency', '6', '--retries', '10', ...FAST, '--json'], { env: t.emulator.env, cwd: t.dir });
    expect([r.code, r.code === 0 ? '' : r.stderr]).toEqual([0, '']);
    expect(gone(pairs)).toBe(true);
    expect(t.emulator.state.members.get(C)?.size).toBe(10);
    const statuses = t.emulator.calls.map((c) => c.status);
    expect(statuses).toContain(500);
    expect(statuses).toContain('dropped');
    expect(statuses).toContain(429);
    expect(t.emulator.calls.some((c) => c.errorCode === 'INVALID_OAUTH')).toBe(true);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results).toHaveLength(160);
    expect(results.every((x) => x.status === 'removed')).toBe(true);
    const s = JSON.parse(r.stdout) as { retries: number };
    expect(s.retries).toBeGreaterThan(0);
    // one refresh per token death, never a storm
    expect(t.emulator.tokenRequests.length).toBeLessThanOrEqual(Math.ceil(t.emulator.calls.length / 7) + 2);
  });

  test('a 429 slows every worker: few refusals even far above the org limit', async () => {
    Object.assign(t.emulator.knobs, { concurrencyLimit: 2, latencyMs: 10 });
    const pairs: [string, string][] = Array.from({ length: 80 }, (_, i) => [u(i), A]);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--batch-size', '2', '--concurrency', '10', '--retries', '20', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(gone(pairs)).toBe(true);
    const refused = t.emulator.calls.filter((c) => c.errorCode === 'TOO_MANY_REQUESTS').length;
    // 40 calls at 10 wide against a limit of 2 would be refused ~32 times per wave without a shared slow-down
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(20);
  });

  test('auth refused: stop sending, the rest deferred, exit 3 with what to check', async () => {
    t.emulator.knobs.scopes = ['Desk.contacts.READ'];
    const pairs: [string, string][] = Array.from({ length: 80 }, (_, i) => [u(i), A]);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--batch-size', '5', '--concurrency', '2'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('SCOPE_MISMATCH');
    expect(r.stderr).toContain('Desk.settings.UPDATE');
    expect(r.stderr).toContain('80 rows not sent (deferred)');
    expect(t.emulator.calls.length).toBeLessThanOrEqual(2);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(new Set(results.map((x) => x.status))).toEqual(new Set(['deferred']));
    expect(r.stderr).not.toContain(t.emulator.credentials.clientSecret);
    expect(r.stderr).not.toContain(t.emulator.credentials.refreshToken);
  });

  test('a refresh token Zoho refuses: exit 3 naming ZOHO_REFRESH_TOKEN, every row deferred, nothing sent', async () => {
    const pairs: [string, string][] = Array.from({ length: 12 }, (_, i) => [u(i), A]);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--batch-size', '5'], { env: { ...t.emulator.env, ZOHO_REFRESH_TOKEN: '1000.revoked' }, cwd: t.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ZOHO_REFRESH_TOKEN');
    expect(r.stderr).toContain('invalid_code');
    expect(r.stderr).not.toContain('1000.revoked');
    expect(t.emulator.calls).toHaveLength(0);
    expect(t.emulator.tokenRequests).toHaveLength(1);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => x.status)).toEqual(Array(12).fill('deferred'));
  });

  test('credits run out: stop at once (no sleeping on Retry-After), the rest deferred, exit 6; a resume finishes', async () => {
    t.emulator.knobs.dailyCredits = 3;
    const pairs: [string, string][] = Array.from({ length: 80 }, (_, i) => [u(i), A]);
    const input = await writePairs(t.dir, pairs);
    const started = performance.now();
    const r = await cli(['remove', input, '--batch-size', '5', '--concurrency', '1', '--no-guard'], { env: t.emulator.env, cwd: t.dir });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/Stopped for API credits: 60 rows not sent \(deferred\), 5 failed or not finished/);
    expect(r.stderr).toMatch(/Resume after \d{4}-\d\d-\d\dT.* with: zdlabels remove .*--resume/);
    let results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.filter((x) => x.status === 'removed')).toHaveLength(15);
    // deferred means never sent; the batch Zoho refused for credits was sent: it says so, with its real attempt count
    expect(results.filter((x) => x.status === 'deferred')[0]?.message).toMatch(/^not sent: .*credits.*--resume/);
    const refused = results.filter((x) => x.status === 'failed');
    expect(refused).toHaveLength(5);
    expect(refused[0]!.message).toMatch(/^not finished: sent 1 time\(s\), last: HTTP 429 THRESHOLD_EXCEEDED.*--resume sends it again/);
    expect(refused[0]!.attempts).toBe('1');

    t.emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;
    const sentBefore = removeCalls().flatMap((c) => c.ids).length;
    const again = await cli(['remove', input, '--batch-size', '5', '--resume', '--no-guard'], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(0);
    expect(gone(pairs)).toBe(true);
    // the resumed run sent only the 65 deferred rows
    expect(removeCalls().flatMap((c) => c.ids).length - sentBefore).toBe(65);
    results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results).toHaveLength(80);
    expect(results.every((x) => x.status === 'removed')).toBe(true);
  });

  test('--verbose: one line per call, no secret ever printed', async () => {
    t.emulator.knobs.tokenLifetimeCalls = 1;
    const r = await cli(['remove', await writePairs(t.dir, [[u(1), A], [u(2), C]]), '--verbose', '--by', 'label'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`POST /api/v1/labels/${A}/users/remove 204 \\d+ms ids=${u(1)}`));
    for (const secret of [t.emulator.credentials.clientSecret, t.emulator.credentials.refreshToken, 'emu-access-']) expect(r.stderr).not.toContain(secret);
  });
});

describe('resume', () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeEach(async () => {
    emulator = await startEmulator({ seed: defaultSeed() });
    dir = await tempDir();
  });
  afterEach(() => emulator.close());

  test('tolerates a torn last line, and refuses a journal of another input', async () => {
    const pairs: [string, string][] = Array.from({ length: 10 }, (_, i) => [u(i), A]);
    const input = await writePairs(dir, pairs);
    emulator.knobs.dailyCredits = 1;
    expect((await cli(['remove', input, '--batch-size', '5', '--concurrency', '1', '--no-guard'], { env: emulator.env, cwd: dir })).code).toBe(6);
    const journal = join(dir, 'pairs.journal');
    await writeFile(journal, (await readFile(journal, 'utf8')) + '{"rows":[7,8],"status":"remo');
    emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;
    const r = await cli(['remove', input, '--batch-size', '5', '--resume'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('skipped 1 torn line');
    expect(gone()).toBe(true);
    expect((await readResults(join(dir, 'pairs.results.csv'))).map((x) => x.status)).toEqual(Array(10).fill('removed'));

    await writeFile(input, `user_id,label_id\n${u(20)},${A}\n`);
    const other = await cli(['remove', input, '--resume'], { env: emulator.env, cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('written for another version of the input');

    function gone(): boolean {
      return pairs.every(([x, l]) => !emulator.state.has(l, x));
    }
  });

  test('--resume where no journal was written yet (killed before the first write) starts the run afresh, saying so', async () => {
    const r = await cli(['remove', await writePairs(dir, [[u(1), A]]), '--resume'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no journal at');
    expect(r.stderr).toContain('starting from the beginning');
    expect(emulator.state.has(A, u(1))).toBe(false);
  });
});
