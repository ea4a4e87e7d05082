// A run killed with SIGKILL at an arbitrary moment, then resumed: every pair
// is removed, nothing the first run finished is sent again, and the results
// file has one line per row.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import type { Seed } from '../src/emulator/seed.js';
import { readResults, tempDir, writePairs } from './helpers/cli.js';
import { until } from './helpers/emulator.js';

const LABEL = '24073000002958013';
const N = 1000;
const users = Array.from({ length: N }, (_, i) => String(1060099000000334001n + BigInt(i)));
const seed: Seed = {
  organizations: [{ id: '2389290', companyName: 'Zylker', portalName: 'zylker' }],
  helpCenters: [{ id: '24073000002886005', name: 'HC', orgId: '2389290' }],
  labels: [{ id: LABEL, name: 'Retiring', helpCenterId: '24073000002886005' }],
  users: users.map((id, i) => ({ id, name: `U${i}`, email: `u${i}@x.io` })),
  memberships: [{ labelId: LABEL, userIds: users }],
};

function runCli(args: string[], env: Record<string, string>, cwd: string) {
  return spawn(process.execPath, [join(process.cwd(), 'dist/main.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('kill -9 and resume', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.close());

  test('a run killed mid-way and resumed removes every pair, and resends nothing it had finished', async () => {
    emulator = await startEmulator({ seed, latencyMs: 15 });
    const dir = await tempDir();
    const input = await writePairs(dir, users.map((u) => [u, LABEL]));
    const args = ['remove', input, '--batch-size', '10', '--concurrency', '3'];

    const first = runCli(args, emulator.env, dir);
    await until(() => emulator.calls.filter((c) => c.status === 204).length >= 25);
    first.kill('SIGKILL');
    const [, signal] = (await once(first, 'exit')) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    const firstCalls = emulator.calls.length;
    expect(emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel').length).toBeLessThan(N / 10);

    const journal = (await readFile(join(dir, 'pairs.journal'), 'utf8')).split('\n').filter(Boolean);
    // each line: the input rows (0-based) one call finished, and how
    const journaled = new Set(journal.slice(1).flatMap((l) => { try { const o = JSON.parse(l) as { rows: number[]; status: string }; return o.status === 'removed' ? o.rows.map((r) => users[r]!) : []; } catch { return []; } }));
    expect(journaled.size).toBeGreaterThanOrEqual(200);

    const second = runCli([...args, '--resume'], emulator.env, dir);
    let err = '';
    second.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(second, 'exit')) as [number];
    expect([code, err]).toEqual([0, expect.stringContaining('1000 rows → 1000 removed')]);

    expect(emulator.state.members.get(LABEL)?.size).toBe(0);
    const resent = emulator.calls.slice(firstCalls).flatMap((c) => c.ids);
    expect(resent.filter((u) => journaled.has(u))).toEqual([]);
    // only what was in flight at the kill can have been sent twice
    const sentTotal = emulator.calls.flatMap((c) => c.ids).length;
    expect(sentTotal - N).toBeLessThanOrEqual(3 * 10);
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results).toHaveLength(N);
    expect(results.map((r) => r.user_id)).toEqual(users);
    expect(results.every((r) => r.status === 'removed')).toBe(true);
  });
});

describe('Ctrl-C (SIGINT) and SIGTERM', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.close());

  test.each(['SIGINT', 'SIGTERM'] as const)('%s: calls in flight finish, nothing more is sent, the results are written, exit 1; a resume finishes', async (signal) => {
    emulator = await startEmulator({ seed, latencyMs: 20 });
    const dir = await tempDir();
    const input = await writePairs(dir, users.slice(0, 300).map((u) => [u, LABEL]));
    const child = runCli(['remove', input, '--batch-size', '10', '--concurrency', '2'], emulator.env, dir);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await until(() => emulator.calls.filter((c) => c.status === 204).length >= 4);
    child.kill(signal);
    const [code] = (await once(child, 'exit')) as [number];
    const writes = () => emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel');
    const sentAtSignal = writes().length;
    expect([code, err]).toEqual([1, expect.stringContaining('Interrupted: ')]);
    expect(sentAtSignal).toBeLessThan(12); // at most the two in flight after the signal
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results).toHaveLength(300);
    const removed = results.filter((r) => r.status === 'removed').length;
    expect(removed).toBe(300 - results.filter((r) => r.status === 'deferred').length);
    expect(results.find((r) => r.status === 'deferred')?.message).toBe('not sent: the run was interrupted; run again with --resume');
    expect(emulator.state.members.get(LABEL)?.size).toBe(N - removed);

    const again = runCli(['remove', input, '--batch-size', '10', '--concurrency', '2', '--resume'], emulator.env, dir);
    const [code2] = (await once(again, 'exit')) as [number];
    expect(code2).toBe(0);
    expect(emulator.state.members.get(LABEL)?.size).toBe(N - 300);
  });
});
