// How refusals are read (issue 10): no final status without evidence, no
// bisection storm when every call is refused for the request itself, and a
// breaker that stops a run refused the same way again and again.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, readResults, writePairs } from './helpers/cli.js';
import { eachTest } from './helpers/emulator.js';
import { A, B, u } from './helpers/seed.js';

const FAST = ['--retry-base-ms', '5'];

describe('refusals', () => {
  const t = eachTest();
  const writes = () => t.emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel' || c.endpoint === 'removeLabelsFromUser');

  test('every call refused the same way for the request itself (a 422 with no errors): no storm, no not_found, exit 1, the rest deferred', async () => {
    t.emulator.knobs.inject = [{ endpoint: 'removeUsersFromLabel', status: 422, errorCode: 'UNPROCESSABLE_ENTITY', message: "Extra query parameter 'foo' is present" }];
    const pairs: [string, string][] = Array.from({ length: 80 }, (_, i) => [u(i), A]);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--batch-size', '5', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    // the plan is 16 calls; splitting to single IDs would be ~150
    expect(writes().length).toBeLessThanOrEqual(16 + 4);
    expect(r.stderr).toContain('calls in a row were refused the same way (HTTP 422 UNPROCESSABLE_ENTITY "Extra query parameter \'foo\' is present")');
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    const statuses = new Set(results.map((x) => x.status));
    expect(statuses.has('not_found')).toBe(false);
    expect([...statuses].sort()).toEqual(['deferred', 'failed']);
    const failed = results.filter((x) => x.status === 'failed');
    expect(failed.every((x) => x.error_code === 'UNPROCESSABLE_ENTITY' && x.http_status === '422')).toBe(true);
    expect(failed[0]!.message).toContain("Extra query parameter 'foo' is present");
    expect(t.emulator.state.members.get(A)?.size).toBe(80);

    // both statuses are resent by --resume once the cause is gone
    t.emulator.knobs.inject = [];
    const again = await cli(['remove', join(t.dir, 'pairs.csv'), '--resume', '--batch-size', '5', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(0);
    expect(t.emulator.state.members.get(A)?.size).toBe(0);
  });

  test('a refusal naming a field that is not an ID list (/orgId) is about the request: never split, rows failed, stop after 3', async () => {
    t.emulator.knobs.inject = [{ endpoint: 'removeUsersFromLabel', status: 422, errorCode: 'INVALID_DATA', message: 'The data does not comply to the validation restrictions defined.', errors: [{ fieldName: '/orgId', errorType: 'invalid', errorMessage: 'orgId is invalid' }] }];
    const pairs: [string, string][] = Array.from({ length: 80 }, (_, i) => [u(i), A]);
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--batch-size', '5', '--no-guard', '--concurrency', '1', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    // one at a time: three refusals, then the breaker
    expect(writes().map((c) => c.ids.length)).toEqual([5, 5, 5]);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.filter((x) => x.status === 'failed')).toHaveLength(15);
    expect(results.filter((x) => x.status === 'deferred')).toHaveLength(65);
  });

  test('an unknown user that Zoho does not name (a bare 422): bisection isolates it, reads prove it missing, the rest are removed', async () => {
    t.emulator.knobs.errorsArray = 'without';
    const pairs: [string, string][] = Array.from({ length: 50 }, (_, i) => [u(i), A]);
    pairs[17] = ['1060099000000999999', A];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--no-guard', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.filter((x) => x.status !== 'removed').map((x) => [x.row, x.status])).toEqual([['18', 'not_found']]);
    expect(results[17]!.message).toContain('user 1060099000000999999 does not exist');
    expect(t.emulator.calls.some((c) => c.endpoint === 'getUser' && c.status === 404 && c.path.endsWith('1060099000000999999'))).toBe(true);
    expect(writes().length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(50)));
  });

  test('a refusal that names an ID (errors /userIds/3) costs one resend without it', async () => {
    const pairs: [string, string][] = Array.from({ length: 50 }, (_, i) => [u(i), A]);
    pairs[3] = ['1060099000000999999', A];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--no-guard', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(1);
    expect(writes().map((c) => c.ids.length)).toEqual([50, 49]);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    expect(results.filter((x) => x.status === 'removed')).toHaveLength(49);
    expect(results[3]!.status).toBe('not_found');
  });

  test('by user, labelIds refused in the body: one call again with them in the query, kept for the run, recorded', async () => {
    t.emulator.knobs.labelIdsIn = 'query';
    const pairs: [string, string][] = [...Array.from({ length: 6 }, (_, i) => [u(40 + i), A] as [string, string]), ...Array.from({ length: 6 }, (_, i) => [u(40 + i), B] as [string, string])];
    const r = await cli(['remove', await writePairs(t.dir, pairs), '--by', 'user', '--concurrency', '1', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    const byUser = writes();
    // the first call (the guard's) carried them in the body and was refused; every later call in the query
    expect(byUser[0]).toMatchObject({ status: 422, query: {} });
    expect(byUser.slice(1).every((c) => c.status === 200 && c.query.labelIds !== undefined)).toBe(true);
    expect(byUser).toHaveLength(7);
    expect(r.stderr).toContain('took them in the query');
    const manifest = JSON.parse(await readFile(join(t.dir, 'pairs.manifest.json'), 'utf8')) as { labelIdsIn: string };
    expect(manifest.labelIdsIn).toBe('query');
    expect(pairs.every(([x, l]) => !t.emulator.state.has(l, x))).toBe(true);
  });

  test('a stop cuts a retry short: the row says it was sent, what its last attempt came to, and its real attempt count; --resume sends it', async () => {
    t.emulator.knobs.dropRate = 1; // applied, then the connection dropped: the client cannot know
    const input = await writePairs(t.dir, [[u(1), A], [u(2), A], [u(50), B]]);
    const r = await cli(['remove', input, '--by', 'label', '--no-guard', '--max-calls', '1', '--concurrency', '1', ...FAST], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(6);
    const results = await readResults(join(t.dir, 'pairs.results.csv'));
    const sent = results.filter((x) => x.label_id === A);
    expect(sent.map((x) => [x.status, x.attempts])).toEqual([
      ['failed', '1'],
      ['failed', '1'],
    ]);
    expect(sent[0]!.message).toMatch(/^not finished: sent 1 time\(s\), last: no answer \(.*\): Zoho may have applied it; the run stopped/);
    expect(results.find((x) => x.label_id === B)!.message).toMatch(/^not sent: /);
    t.emulator.knobs.dropRate = 0;
    expect((await cli(['remove', input, '--resume', ...FAST], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
  });
});
