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

  // When Zoho refuses to remove a pair not held (nonMember '404' or '422', both
  // plausible: ../shared/ZOHO-NOTES.md), the retry of a removal whose first
  // answer was lost is refused, and a read shows the user no longer holds the
  // label. Whether this run removed it depends on whether it was held when the
  // run began: here the first-write guard read the label's members first, so it
  // was, and the row is `removed` (restore can undo it).
  test.each(['404', '422'] as const)('Zoho refuses the retry (nonMember %s): the guard read it held, so the row is removed, and restore puts the pair back', async (nonMember) => {
    const { env, dir, writes, results } = await removeLosingFirstAnswer(nonMember);
    expect(writes.map((c) => c.status)).toEqual([204, Number(nonMember)]);
    expect(emulator.state.has(A, u(0))).toBe(false);
    expect(results[0]!.status).toBe('removed');
    expect(results[0]!.message).toContain("removed by this run: the pair was held when the run began, a read shows it is not now, and Zoho's answer to this run's call was lost");
    await cli(['restore', join(dir, 'pairs.results.csv'), ...FAST], { env, cwd: dir });
    expect(emulator.state.has(A, u(0))).toBe(true);
  });

  // Without any read of the label before (--no-guard, a CSV of IDs), nothing shows the pair was held:
  // it might never have been. The row says the truth: not held now, and this run may have removed it.
  test('with nothing read before (--no-guard): the row is not_member and says this run may have removed it', async () => {
    emulator = await startEmulator({ nonMember: '404' });
    relay = await startFaultyProxy(emulator.url, { loseAnswerOf: [1] });
    const dir = await tempDir();
    const r = await cli(['remove', await writePairs(dir, [[u(0), A]]), '--by', 'label', '--no-guard', ...FAST], { env: { ...emulator.env, ZOHO_DESK_URL: relay.url }, cwd: dir });
    const [row] = await readResults(join(dir, 'pairs.results.csv'));
    expect([r.code, row!.status]).toEqual([0, 'not_member']);
    expect(row!.message).toContain("an earlier call for it got no answer, so it may have removed it (restore adds back only rows marked removed)");
  });

  test('retire-label (rows read from the label): a lost answer then a refused retry is removed, and restore puts it back', async () => {
    emulator = await startEmulator({ nonMember: '422' });
    relay = await startFaultyProxy(emulator.url, { loseAnswerOf: [2] });
    const env = { ...emulator.env, ZOHO_DESK_URL: relay.url };
    const dir = await tempDir();
    const C = '24073000002958029';
    const r = await cli(['retire-label', '--label', C, '--yes', '--no-guard', '--batch-size', '4', ...FAST], { env, cwd: dir });
    expect(r.code).toBe(0);
    const results = await readResults(join(dir, `retire-${C}.results.csv`));
    expect(results.map((x) => x.status)).toEqual(Array(10).fill('removed'));
    expect((await cli(['restore', join(dir, `retire-${C}.results.csv`), ...FAST], { env, cwd: dir })).code).toBe(0);
    expect(emulator.state.members.get(C)?.size).toBe(10);
  });
});
