// An email-based run stopped mid-way (kill -9, or the day's credits) and
// resumed: the resumed run uses the IDs the first run looked up (x.plan.csv),
// never looks up again (the users it removed are no longer members to find by
// email), and its results name every user, so restore can put them all back.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import type { Seed } from '../src/emulator/seed.js';
import { cli, readResults, tempDir } from './helpers/cli.js';
import { until } from './helpers/emulator.js';

const LABEL = '24073000002958013';
const N = 600;
const users = Array.from({ length: N }, (_, i) => String(1060099000000334001n + BigInt(i)));
const seed: Seed = {
  organizations: [{ id: '2389290', companyName: 'Zylker', portalName: 'zylker' }],
  helpCenters: [{ id: '24073000002886005', name: 'HC', orgId: '2389290' }],
  labels: [{ id: LABEL, name: 'Early Access', helpCenterId: '24073000002886005' }],
  users: [...users.map((id, i) => ({ id, name: `U${i}`, email: `u${i}@x.io` })), { id: '1060099000000399999', name: 'Outsider', email: 'outsider@x.io' }],
  memberships: [{ labelId: LABEL, userIds: users }],
};

/** Every member by email, and one user who does not hold the label. */
async function emailsFile(dir: string): Promise<string> {
  const file = join(dir, 'leavers.csv');
  await writeFile(file, ['email,label', ...users.map((_, i) => `u${i}@x.io,early access`), 'outsider@x.io,Early Access'].join('\n') + '\n');
  return file;
}

const runCli = (args: string[], env: Record<string, string>, cwd: string) =>
  spawn(process.execPath, [join(process.cwd(), 'dist/main.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

let emulator: RunningEmulator;
afterEach(() => emulator.close());

test('kill -9 mid-way, then --resume: every member removed, nothing looked up again, every row named by its resolved ID', async () => {
  emulator = await startEmulator({ seed, latencyMs: 15 });
  const dir = await tempDir();
  const input = await emailsFile(dir);
  const args = ['remove', input, '--batch-size', '10', '--concurrency', '3'];
  const first = runCli(args, emulator.env, dir);
  await until(() => emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel' && c.status === 204).length >= 15);
  first.kill('SIGKILL');
  const [, signal] = (await once(first, 'exit')) as [number | null, string | null];
  expect(signal).toBe('SIGKILL');
  const removedByFirst = N - (emulator.state.members.get(LABEL)?.size ?? 0);
  expect(removedByFirst).toBeGreaterThanOrEqual(150);
  expect(removedByFirst).toBeLessThan(N);
  const firstCalls = emulator.calls.length;

  const second = runCli([...args, '--resume'], emulator.env, dir);
  let err = '';
  second.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(second, 'exit')) as [number];
  expect([code, err]).toEqual([0, expect.stringContaining(`${N + 1} rows → ${N} removed, 1 not_member`)]);
  expect(err).toContain('nothing is looked up again');
  expect(emulator.state.members.get(LABEL)?.size).toBe(0);
  // No lookup: the label list is never read again (the guard may read the label's members, never to resolve).
  expect(emulator.calls.slice(firstCalls).filter((c) => c.endpoint === 'listLabels')).toEqual([]);

  const results = await readResults(join(dir, 'leavers.results.csv'));
  expect(results.map((r) => [r.user_id, r.status])).toEqual([...users.map((u) => [u, 'removed']), ['', 'not_member']]);
  // Restore needs those IDs: it puts back every member, the ones removed before the kill included.
  expect((await cli(['restore', 'leavers.results.csv'], { env: emulator.env, cwd: dir })).code).toBe(0);
  expect(emulator.state.members.get(LABEL)?.size).toBe(N);
});

test('stopped by spent credits: --resume finishes from the plan; without the plan it refuses (exit 2) rather than look up again', async () => {
  emulator = await startEmulator({ seed });
  const dir = await tempDir();
  await emailsFile(dir);
  emulator.knobs.dailyCredits = 3 + 13 * 3 + 5; // the label list, 13 pages of members, and 5 removals
  const r = await cli(['remove', 'leavers.csv', '--batch-size', '50', '--concurrency', '1', '--no-guard'], { env: emulator.env, cwd: dir });
  expect(r.code).toBe(6);
  expect(emulator.state.members.get(LABEL)?.size).toBe(N - 250);
  emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;

  await rm(join(dir, 'leavers.plan.csv'));
  const refused = await cli(['remove', 'leavers.csv', '--resume'], { env: emulator.env, cwd: dir });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('leavers.plan.csv: missing: the first run looked up emails or label names');
  expect(emulator.state.members.get(LABEL)?.size).toBe(N - 250);
});

test('credits spent during the lookups: exit 6 before any write, saying when to run again', async () => {
  emulator = await startEmulator({ seed });
  const dir = await tempDir();
  await emailsFile(dir);
  emulator.knobs.dailyCredits = 3 + 2 * 3; // the label list and two pages of members
  const r = await cli(['remove', 'leavers.csv'], { env: emulator.env, cwd: dir });
  expect(r.code).toBe(6);
  expect(r.stderr).toMatch(/failed: HTTP 429 THRESHOLD_EXCEEDED.*\nThe organization's API credits for the day are spent; Zoho gives them back at 00:00 in the data centre's time zone \(Zoho says in about \d+ min\)\. Run the same command again then\.\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel')).toEqual([]);
  expect(emulator.state.members.get(LABEL)?.size).toBe(N);

  const json = await cli(['remove', 'leavers.csv', '--log-format', 'json'], { env: emulator.env, cwd: dir });
  const last = JSON.parse(json.stderr.trim().split('\n').at(-1)!) as Record<string, unknown>;
  expect([json.code, last.event, last.code, last.exitCode, last.advice]).toEqual([6, 'error', 'CREDITS_EXHAUSTED', 6, expect.stringContaining('Run the same command again then.')]);
});

test('stopped by spent credits, resumed from the plan: the rows removed before the stop stay removed, the rest are sent', async () => {
  emulator = await startEmulator({ seed });
  const dir = await tempDir();
  await emailsFile(dir);
  emulator.knobs.dailyCredits = 3 + 13 * 3 + 5;
  expect((await cli(['remove', 'leavers.csv', '--batch-size', '50', '--concurrency', '1', '--no-guard'], { env: emulator.env, cwd: dir })).code).toBe(6);
  emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;
  const before = emulator.calls.length;
  const again = await cli(['remove', 'leavers.csv', '--resume', '--no-guard'], { env: emulator.env, cwd: dir });
  expect(again.code).toBe(0);
  const resent = emulator.calls.slice(before);
  expect(resent.every((c) => c.endpoint === 'removeUsersFromLabel')).toBe(true);
  expect(resent.flatMap((c) => c.ids).sort()).toEqual(users.slice(250).sort());
  expect(emulator.state.members.get(LABEL)?.size).toBe(0);
});
