// A removal Zoho applied but whose answer never came back (the connection
// dropped after the change): the retry finds nothing to remove. What the
// results file says then decides whether `restore` can undo the run.
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, readResults, tempDir, writePairs } from './helpers/cli.js';
import { startFaultyProxy, type FaultyProxy } from './helpers/faultyProxy.js';
import { A, u } from './helpers/seed.js';

const FAST = ['--retry-base-ms', '5'];

describe('a removal whose answer was lost', () => {
  let emulator: RunningEmulator;
  let relay: FaultyProxy;
  afterEach(async () => {
    await relay.close();
    await emulator.close();
  });

  async function removeLosingFirstAnswer(nonMember: 'success' | '404' | '422') {
    emulator = await startEmulator({ nonMember });
    relay = await startFaultyProxy(emulator.url, { loseAnswerOf: [1] });
    const env = { ...emulator.env, ZOHO_DESK_URL: relay.url };
    const dir = await tempDir();
    const input = await writePairs(dir, [[u(0), A]]);
    const r = await cli(['remove', input, '--by', 'label', ...FAST], { env, cwd: dir });
    const writes = emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel');
    return { r, env, dir, writes, results: await readResults(join(dir, 'pairs.results.csv')) };
  }

  test('Zoho answers the retry with success: the row is removed, and restore puts the pair back', async () => {
    const { r, env, dir, writes, results } = await removeLosingFirstAnswer('success');
    expect(writes.map((c) => c.status)).toEqual([204, 204]); // the first answer was lost on the way back
    expect([r.code, results[0]!.status]).toEqual([0, 'removed']);
    expect(emulator.state.has(A, u(0))).toBe(false);
    const back = await cli(['restore', join(dir, 'pairs.results.csv'), ...FAST], { env, cwd: dir });
    expect(back.code).toBe(0);
    expect(emulator.state.has(A, u(0))).toBe(true);
  });

  // BUG (src/run/executor.ts #explain / src/run/evidence.ts): when Zoho
  // refuses to remove a pair not held (nonMember '404' or '422', both
  // plausible: ../shared/ZOHO-NOTES.md), the retry of a removal whose first
  // answer was lost is refused, a read shows the user no longer holds the
  // label, and the row ends `not_member` "nothing to remove" -- though the
  // user held it and this run removed it. `restore` only puts back `removed`
  // rows, so it cannot undo this one. (The chaos test keeps nonMember
  // 'success' because of this.) Remove `.failing` once fixed.
  test.failing.each(['404', '422'] as const)('Zoho refuses the retry (nonMember %s): the row is still removed, and restore puts the pair back', async (nonMember) => {
    const { env, dir, writes, results } = await removeLosingFirstAnswer(nonMember);
    expect(writes.map((c) => c.status)).toEqual([204, Number(nonMember)]);
    expect(emulator.state.has(A, u(0))).toBe(false);
    expect(results[0]!.status).toBe('removed');
    await cli(['restore', join(dir, 'pairs.results.csv'), ...FAST], { env, cwd: dir });
    expect(emulator.state.has(A, u(0))).toBe(true);
  });
});
