// Rows the run could not finish, each for its own reason, and what --resume
// does with them; and --verify when the read-back itself fails.
import { join } from 'node:path';
import { cli, readResults, writePairs, type ResultRow } from './helpers/cli.js';
import { eachTest } from './helpers/emulator.js';
import { A, B, C, u } from './helpers/seed.js';

const FAST = ['--retry-base-ms', '5'];

const t = eachTest();

describe('rows that end failed', () => {
  const writes = () => t.emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel');
  const held = (pairs: [string, string][]) => pairs.filter(([user, label]) => t.emulator.state.has(label, user));

  test('retries used up (--retries 1, every write answers 500): failed "gave up after 2 attempts", exit 1; --resume sends exactly those rows again', async () => {
    t.emulator.knobs.inject = [{ endpoint: 'removeUsersFromLabel', status: 500, errorCode: 'INTERNAL_SERVER_ERROR', message: 'Internal Server Error' }];
    const pairs: [string, string][] = [[u(1), A], [u(2), A], [u(50), B], [u(51), B]];
    const input = await writePairs(t.dir, pairs);
    const r = await cli(['remove', input, '--by', 'label', '--retries', '1', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => [x.row, x.status, x.http_status, x.error_code, x.attempts])).toEqual(pairs.map((_, i) => [String(i + 1), 'failed', '500', 'INTERNAL_SERVER_ERROR', '2']));
    for (const x of results) expect(x.message).toMatch(/^gave up after 2 attempts: .*500.*; --resume sends it again$/);
    // each batch was sent once and retried once, no more; nothing changed
    expect(writes().map((c) => [c.path, c.ids.join(' ')]).sort()).toEqual(
      [
        [`/api/v1/labels/${A}/users/remove`, `${u(1)} ${u(2)}`],
        [`/api/v1/labels/${A}/users/remove`, `${u(1)} ${u(2)}`],
        [`/api/v1/labels/${B}/users/remove`, `${u(50)} ${u(51)}`],
        [`/api/v1/labels/${B}/users/remove`, `${u(50)} ${u(51)}`],
      ].sort(),
    );
    expect(held(pairs)).toEqual(pairs);

    // Zoho recovers: --resume sends the failed rows, and only them
    t.emulator.knobs.inject = [];
    const sentBefore = writes().length;
    const again = await cli(['remove', input, '--by', 'label', '--resume', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(0);
    expect(writes().slice(sentBefore).flatMap((c) => c.ids).sort()).toEqual(pairs.map(([user]) => user).sort());
    expect((await readResults(join(t.dir, 'pairs.results.csv'))).map((x) => x.status)).toEqual(['removed', 'removed', 'removed', 'removed']);
    expect(held(pairs)).toEqual([]);
  });

  test('a permanent refusal of a pair that exists and is held: failed at once (not retried, not called not_found or not_member), exit 1; --resume sends it again', async () => {
    t.emulator.knobs.inject = [{ endpoint: 'removeUsersFromLabel', status: 422, errorCode: 'UNPROCESSABLE_ENTITY', message: 'This operation is not allowed for the user.' }];
    const pairs: [string, string][] = [[u(3), A]];
    const input = await writePairs(t.dir, pairs);
    const r = await cli(['remove', input, '--by', 'label', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const [row] = await readResults(join(t.dir, 'pairs.results.csv'));
    expect([row!.status, row!.http_status, row!.error_code, row!.attempts]).toEqual(['failed', '422', 'UNPROCESSABLE_ENTITY', '1']);
    // the reads behind it: the label and the user exist, and the user holds the label
    expect(row!.message).toContain('This operation is not allowed for the user.');
    expect(row!.message).toMatch(/the label and the user exist and the user holds the label, so the refusal is not about these IDs; --resume sends it again$/);
    expect(t.emulator.calls.filter((c) => ['getLabel', 'getUser', 'listUserLabels'].includes(c.endpoint)).every((c) => c.status === 200)).toBe(true);
    expect(t.emulator.calls.some((c) => c.endpoint === 'listUserLabels' && c.path.includes(u(3)))).toBe(true);
    expect(writes()).toHaveLength(1);
    expect(held(pairs)).toEqual(pairs);

    t.emulator.knobs.inject = [];
    const again = await cli(['remove', input, '--by', 'label', '--resume', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(0);
    expect(held(pairs)).toEqual([]);
  });
});

/** A results row of a run with --verify (its extra column). */
const verifiedRows = async (file: string) => (await readResults(file)) as (ResultRow & { verified: string })[];

describe('--verify when the read-back fails', () => {
  test('the removals happened, but listing the label is refused: rows removed with verified=no "could not be read back to verify", exit 1', async () => {
    // without the guard, the only reads of the label's members are the read-back after the writes;
    // a refusal, not a 5xx: reads retry a 5xx for seconds (src/run/retry.ts) before giving up the same way
    t.emulator.knobs.inject = [{ endpoint: 'listLabelUsers', status: 422, errorCode: 'UNPROCESSABLE_ENTITY', message: 'Listing is unavailable.' }];
    const pairs: [string, string][] = [[u(4), A], [u(5), A], [u(6), A]];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--by', 'label', '--verify', '--no-guard', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const results = await verifiedRows(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => [x.status, x.verified, x.message])).toEqual(pairs.map(() => ['removed', 'no', 'could not be read back to verify']));
    // the writes went through: the pairs are gone, and the read-back was tried after them
    expect(pairs.some(([user, label]) => t.emulator.state.has(label, user))).toBe(false);
    const endpoints = t.emulator.calls.map((c) => c.endpoint);
    expect(endpoints.indexOf('listLabelUsers')).toBeGreaterThan(endpoints.lastIndexOf('removeUsersFromLabel'));
    expect(t.emulator.calls.filter((c) => c.endpoint === 'listLabelUsers').map((c) => c.status)).toEqual([422]);
  });

  test('the same run with the read-back answering: verified=yes, exit 0 (the failure above is the read-back, nothing else)', async () => {
    const pairs: [string, string][] = [[u(4), A], [u(5), A], [u(6), A]];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--by', 'label', '--verify', '--no-guard', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    const results = await verifiedRows(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => [x.status, x.verified])).toEqual(pairs.map(() => ['removed', 'yes']));
  });
});

describe('the first-write guard cannot read', () => {
  // Refusals, not 5xx: reads retry a 5xx for seconds (src/run/retry.ts) before giving up the same way.
  const refusal = { status: 422, errorCode: 'UNPROCESSABLE_ENTITY', message: 'Listing is unavailable.' };
  const pairs: [string, string][] = [[u(1), C], [u(2), A], [u(3), A]];

  test('before the first write: nothing sent, every row deferred "run again with --resume", exit 1 (not 8: nothing tripped); --resume then finishes', async () => {
    t.emulator.knobs.inject = [{ endpoint: 'listLabelUsers', ...refusal }];
    const input = await writePairs(t.dir, pairs);
    const r = await cli(['remove', input, '--by', 'label', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('first-write guard: could not run');
    expect(t.emulator.calls.filter((c) => c.method === 'POST')).toEqual([]);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.map((x) => [x.status, x.message])).toEqual(
      pairs.map(() => ['deferred', 'not sent: the first-write guard could not read what the first write would touch; run again with --resume']),
    );
    t.emulator.knobs.inject = [];
    const again = await cli(['remove', input, '--by', 'label', '--resume', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(0);
    expect(pairs.filter(([user, label]) => t.emulator.state.has(label, user))).toEqual([]);
  });

  test('after its first write: that batch is removed, the note says it went unchecked, the rest deferred, exit 1', async () => {
    // The read-back after the guard's batch is refused: armed once the first write reaches the emulator.
    const push = t.emulator.calls.push.bind(t.emulator.calls);
    t.emulator.calls.push = (...records) => {
      if (records.some((c) => c.method === 'POST')) t.emulator.knobs.inject = [{ endpoint: 'getLabel', ...refusal }, { endpoint: 'listLabelUsers', ...refusal }];
      return push(...records);
    };
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--by', 'label', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('first-write guard: could not run (its first batch was sent, but could not be checked');
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    // C's batch (one row, the label with fewest members) is the guard's: sent alone
    expect(results.map((x) => x.status)).toEqual(['removed', 'deferred', 'deferred']);
    expect(t.emulator.calls.filter((c) => c.method === 'POST').map((c) => c.ids)).toEqual([[u(1)]]);
    expect(t.emulator.state.has(C, u(1))).toBe(false);
    expect(t.emulator.state.has(A, u(2)) && t.emulator.state.has(A, u(3))).toBe(true);
  });
});
