// The prune job action and the shipped nightly example, run with `zdlabels run`.
import { cp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSeed } from '../src/emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, readResults, tempDir } from './helpers/cli.js';

const repo = process.cwd();
let emulator: RunningEmulator;
let root: string;
let jobs: string;

beforeEach(async () => {
  emulator = await startEmulator({ seed: await loadSeed(join(repo, 'fixtures/demo/seed.json')) });
  root = await tempDir();
  for (const d of ['jobs', 'fixtures', 'schema']) await cp(join(repo, d), join(root, d), { recursive: true });
  jobs = join(root, 'jobs');
});
afterEach(() => emulator.close());

/** Every (label, user) pair held by a user with one of these statuses. */
const heldBy = (e: RunningEmulator, statuses: string[]) => e.state.pairs().filter((p) => statuses.includes(e.state.users.get(p.split(':')[0]!)!.status));

test('prune-disabled: every label taken away from disabled and deleted users, nobody else; snapshot, results, restore', async () => {
  const before = emulator.state.pairs();
  const targeted = heldBy(emulator, ['DISABLED', 'DELETED']);
  expect(targeted).toHaveLength(8);
  const r = await cli(['run', join(jobs, 'prune-disabled.json')], { env: emulator.env, cwd: root });
  expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('8 rows → 8 removed')]);
  expect(emulator.state.pairs()).toEqual(before.filter((p) => !targeted.includes(p)));
  const runs = await readdir(join(jobs, 'runs'));
  const results = runs.find((f) => /^prune-disabled-\d{4}-\d\d-\d\d-\d{6}\.results\.csv$/.test(f))!;
  expect(runs).toEqual(expect.arrayContaining([results.replace('.results.csv', '.snapshot.csv'), results.replace('.results.csv', '.plan.csv'), results.replace('.results.csv', '.manifest.json')]));
  expect((await readResults(join(jobs, 'runs', results))).every((x) => x.status === 'removed' && (x as Record<string, string>).verified === 'yes')).toBe(true);

  expect((await cli(['restore', join(jobs, 'runs', results)], { env: emulator.env, cwd: root })).code).toBe(0);
  expect(emulator.state.pairs()).toEqual(before);
});

test('command-line options override the job: --status DELETED --dry-run', async () => {
  const r = await cli(['run', join(jobs, 'prune-disabled.json'), '--status', 'deleted', '--dry-run', '--json', '--out', 'dry.csv'], { env: emulator.env, cwd: root });
  expect(r.code).toBe(0);
  expect((JSON.parse(r.stdout) as { counts: { planned: number } }).counts.planned).toBe(heldBy(emulator, ['DELETED']).length);
  expect(emulator.calls.filter((c) => c.endpoint.startsWith('remove'))).toHaveLength(0);
});

test('a prune job without a rule, with two inactivity rules, or with labels and allLabels is refused, each problem named', async () => {
  await writeFile(join(root, 'bad.json'), JSON.stringify({ name: 'p', action: 'prune', labels: ['MVP'], allLabels: true, label: '1', inactiveSince: '2025-07-01', inactiveFor: '180d', status: ['GONE'] }));
  const r = await cli(['run', 'bad.json'], { env: emulator.env, cwd: root });
  expect(r.code).toBe(2);
  const lines = r.stderr.split('\n').map((l) => l.trim());
  expect(lines).toEqual(
    expect.arrayContaining([
      '/label: not used by action prune; remove it',
      '/: prune needs either `labels` or `allLabels: true`, not both',
      '/: give `inactiveSince` or `inactiveFor`, not both',
      '/status/0: "GONE" is not allowed; allowed: "ACTIVE", "DISABLED", "DELETED"',
    ]),
  );
  await writeFile(join(root, 'norule.json'), JSON.stringify({ name: 'p', action: 'prune', labels: ['MVP'] }));
  const none = await cli(['run', 'norule.json'], { env: emulator.env, cwd: root });
  expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('/: prune needs a rule: `status`, `inactiveSince` or `inactiveFor`')]);
  expect(emulator.calls).toHaveLength(0);
});

test('a prune job naming labels by name, with a keep file relative to the job', async () => {
  await writeFile(join(jobs, 'keep-ken.csv'), 'user_id\n1060099000000334008\n');
  await writeFile(join(jobs, 'prune-beta.json'), JSON.stringify({ name: 'prune-beta', action: 'prune', labels: ['beta tester'], status: ['DISABLED'], keep: 'keep-ken.csv', yes: true, out: 'runs/beta.results.csv' }));
  const r = await cli(['run', join(jobs, 'prune-beta.json')], { env: emulator.env, cwd: root });
  expect(r.code).toBe(0);
  const removed = (await readResults(join(jobs, 'runs/beta.results.csv'))).map((x) => x.user_id);
  expect(removed).not.toContain('1060099000000334008');
  // Beta Tester holds three DISABLED users: Ken Thompson (kept), Katherine Johnson and Jean Sammet.
  expect(removed.map((id) => emulator.state.users.get(id)!.name).sort()).toEqual(['Jean Sammet', 'Katherine Johnson']);
  expect(emulator.state.has('24073000002958023', '1060099000000334008')).toBe(true);
});
