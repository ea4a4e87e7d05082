// Output paths and reruns (issue 9): every problem with where a run writes is
// found before the first call, and no run replaces the records of another.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmod, copyFile, link, mkdir, readFile, readdir, rename, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/server.js';
import { writeMembers } from '../src/rows/membersCsv.js';
import { cli, readResults, tempDir, writePairs } from './helpers/cli.js';
import { eachTest } from './helpers/emulator.js';
import { A, C, u } from './helpers/seed.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('where a run writes', () => {
  const t = eachTest();
  const nothingSent = () => expect(t.emulator.calls.filter((c) => c.endpoint !== 'getLabel')).toEqual([]);

  test('--out naming an existing folder: exit 2 before any call, naming it', async () => {
    await mkdir(join(t.dir, 'out'));
    const r = await cli(['remove', await writePairs(t.dir, [[u(1), A]]), '--out', 'out'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(t.dir, 'out')}: --out names a folder, not a file`);
    expect(t.emulator.calls).toEqual([]);
    expect(await readdir(join(t.dir, 'out'))).toEqual([]);
  });

  // As root every folder is writable: the CLI then runs as nobody (uid 65534), from /.
  // Nobody must reach the test's folders, or a refusal would pass for the wrong reason
  // (a folder out of reach, not a locked one): the preconditions say what to change.
  function nobodyCan(path: string, mode: 'read' | 'write'): boolean {
    const flag = mode === 'read' ? 'R_OK' : 'W_OK';
    return spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(path)}, require('fs').constants.${flag})`], { uid: 65534, gid: 65534, cwd: '/' }).status === 0;
  }
  async function asUserWhoCannotWrite(args: string[], reachable: { read: string[]; write: string[] }): Promise<{ code: number | null; err: string }> {
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      if (!nobodyCan(join(repo, 'dist/main.js'), 'read')) throw new Error(`run as root, this test runs zdlabels as uid 65534 (nobody), who cannot read ${repo}: put the checkout where every user can read it (not under /root)`);
      for (const mode of ['read', 'write'] as const) {
        const out = reachable[mode].find((path) => !nobodyCan(path, mode));
        if (out !== undefined) throw new Error(`run as root, this test runs zdlabels as uid 65534 (nobody), who cannot ${mode} ${out}: use a TMPDIR every user can traverse (chmod o+x on it and its parents)`);
      }
    }
    const child = spawn(process.execPath, [join(repo, 'dist/main.js'), ...args], {
      cwd: asRoot ? '/' : t.dir,
      env: { PATH: process.env.PATH ?? '', ...t.emulator.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, err };
  }

  test.each([
    ['remove', (locked: string, input: string) => ['remove', input, '--out', join(locked, 'r.csv')], 'cannot write the results here: permission denied; choose another --out'],
    ['retire-label', (locked: string) => ['retire-label', '--label', C, '--yes', '--out', join(locked, 'r.csv')], 'cannot write the results here: permission denied; choose another --out'],
    ['export', (locked: string) => ['export', '--label', C, '--out', join(locked, 'm.csv')], 'cannot write the results here: permission denied; choose another --out'],
    ['remove, the default beside its input', (_locked: string, input: string) => ['remove', input], 'cannot write the results here: permission denied; choose another --out'],
    ['retire-label --snapshot', (locked: string) => ['retire-label', '--label', C, '--yes', '--out', join(t.dir, 'open', 'r.csv'), '--snapshot', join(locked, 's.csv')], 'cannot write --snapshot here: permission denied; choose another --snapshot'],
  ])('%s: --out in a folder the user cannot write: exit 2 "permission denied" before any call', async (_name, argv, message) => {
    const locked = join(t.dir, 'locked');
    await mkdir(locked);
    // a folder the user can write, for the outputs that are not the point (--out beside --snapshot)
    await chmod(t.dir, 0o755);
    await mkdir(join(t.dir, 'open'), { mode: 0o777 });
    await chmod(join(t.dir, 'open'), 0o777);
    // the input of the default-output case lives in the locked folder, readable by all
    const input = await writePairs(locked, [[u(1), A]]);
    await chmod(input, 0o644);
    await chmod(locked, 0o555);
    try {
      const { code, err } = await asUserWhoCannotWrite(argv(locked, input), { read: [input], write: [join(t.dir, 'open')] });
      expect([code, err]).toEqual([2, expect.stringContaining(message)]);
      expect(err).not.toMatch(/\n\s+at /);
      expect(t.emulator.calls).toEqual([]);
    } finally {
      // not root, the folder's own user could not remove what is inside it
      await chmod(locked, 0o755);
    }
  });

  test.each(['symlink', 'hard link'] as const)('--out that is the input through a %s is refused; the input is untouched', async (kind) => {
    const input = await writePairs(t.dir, [[u(1), A]]);
    const before = await readFile(input, 'utf8');
    const alias = join(t.dir, 'alias.csv');
    if (kind === 'symlink') await symlink(input, alias);
    else await link(input, alias);
    const r = await cli(['remove', input, '--out', alias], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out is the input');
    expect(await readFile(input, 'utf8')).toBe(before);
    expect(t.emulator.calls).toEqual([]);
  });

  test('temporary files left by a killed run are cleaned by the next run', async () => {
    const input = await writePairs(t.dir, [[u(1), A]]);
    // pid 999999 is not running: its files are leftovers
    for (const f of ['pairs.results.csv.tmp-999999', 'pairs.journal.tmp-999999', 'pairs.manifest.json.tmp-999999']) await writeFile(join(t.dir, f), 'half');
    expect((await cli(['remove', input], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    expect((await readdir(t.dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('a members file (export --out, snapshots, plans)', () => {
  test('a write that fails leaves no temporary file beside it, and the failure is not hidden', async () => {
    const dir = await tempDir();
    // a folder (not empty) where the file should go: the temporary file is written, the rename onto it fails
    const target = join(dir, 'members.csv');
    await mkdir(join(target, 'inside'), { recursive: true });
    const row = { userId: u(1), labelId: A, name: 'n', email: 'e@example.com', assignedTime: '', status: 'ACTIVE' };
    await expect(writeMembers(target, [row])).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['members.csv']);
    expect(await readdir(target)).toEqual(['inside']);
  });

  test('a write that succeeds replaces the file whole, making its folder first', async () => {
    const target = join(await tempDir(), 'new', 'members.csv');
    const row = { userId: u(1), labelId: A, name: '=cmd', email: 'e@example.com', assignedTime: '', status: 'ACTIVE' };
    await writeMembers(target, [row]);
    await writeMembers(target, [{ ...row, userId: u(2) }]);
    expect(await readFile(target, 'utf8')).toBe(`user_id,label_id,name,email,assigned_time\n${u(2)},${A},'=cmd,e@example.com,\n`);
    expect(await readdir(dirname(target))).toEqual(['members.csv']);
  });
});

describe('reruns never destroy records', () => {
  const t = eachTest();

  test('retire-label run twice: the second refuses before any write (exit 2) and says how to go on; the snapshot and results keep who held the label', async () => {
    expect((await cli(['retire-label', '--label', C, '--yes'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    const snapshot = await readFile(join(t.dir, `retire-${C}.snapshot.csv`), 'utf8');
    const results = await readFile(join(t.dir, `retire-${C}.results.csv`), 'utf8');
    expect(snapshot.split('\n').filter(Boolean)).toHaveLength(11);
    const calls = t.emulator.calls.length;
    const again = await cli(['retire-label', '--label', C, '--yes'], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('holds the results of an earlier run (10 records); a new run would replace it');
    expect(again.stderr).toContain(`To continue that run: zdlabels retire-label --label ${C} --resume --yes --out`);
    expect(again.stderr).toContain('give another --out');
    expect(await readFile(join(t.dir, `retire-${C}.snapshot.csv`), 'utf8')).toBe(snapshot);
    expect(await readFile(join(t.dir, `retire-${C}.results.csv`), 'utf8')).toBe(results);
    expect(t.emulator.calls.slice(calls).every((c) => c.endpoint === 'getLabel')).toBe(true);
    // restore still has the record to work from
    expect((await cli(['restore', join(t.dir, `retire-${C}.results.csv`)], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    expect(t.emulator.state.members.get(C)?.size).toBe(10);
  });

  test('a fresh remove over an earlier run refuses; --resume continues it; a dry run results file is simply replaced', async () => {
    const input = await writePairs(t.dir, [[u(1), A], [u(2), A]]);
    expect((await cli(['remove', input, '--dry-run'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    expect((await cli(['remove', input], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    const journal = await readFile(join(t.dir, 'pairs.journal'), 'utf8');
    const r = await cli(['remove', input], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pairs.results.csv: holds the results of an earlier run');
    expect(await readFile(join(t.dir, 'pairs.journal'), 'utf8')).toBe(journal);
    const resumed = await cli(['remove', input, '--resume'], { env: t.emulator.env, cwd: t.dir });
    expect(resumed.code).toBe(0);
    expect((await readResults(join(t.dir, 'pairs.results.csv'))).map((x) => x.status)).toEqual(['removed', 'removed']);
  });

  test('retire-label with its results and journal moved away: the rerun still refuses, as its snapshot lists who held the label', async () => {
    expect((await cli(['retire-label', '--label', C, '--yes'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    const snapshotFile = join(t.dir, `retire-${C}.snapshot.csv`);
    const snapshot = await readFile(snapshotFile, 'utf8');
    await mkdir(join(t.dir, 'old'));
    for (const f of [`retire-${C}.results.csv`, `retire-${C}.journal`]) await rename(join(t.dir, f), join(t.dir, 'old', f));
    const calls = t.emulator.calls.length;
    const again = await cli(['retire-label', '--label', C, '--yes'], { env: t.emulator.env, cwd: t.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${snapshotFile}: holds the snapshot of an earlier run, listing 10 memberships that no longer exist (that run removed them?)`);
    expect(again.stderr).toContain('give another --out');
    expect(await readFile(snapshotFile, 'utf8')).toBe(snapshot);
    expect(t.emulator.calls.slice(calls).filter((c) => c.method === 'POST')).toEqual([]);
  });

  test('retire-label after its own dry run: the dry run\'s snapshot (the same members) is simply replaced', async () => {
    expect((await cli(['retire-label', '--label', C, '--dry-run'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    const r = await cli(['retire-label', '--label', C, '--yes'], { env: t.emulator.env, cwd: t.dir });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('10 removed')]);
    expect(t.emulator.state.members.get(C)?.size).toBe(0);
  });

  test('--snapshot naming the results file: exit 2 before any call', async () => {
    const r = await cli(['retire-label', '--label', C, '--yes', '--out', 'same.csv', '--snapshot', 'same.csv'], { env: t.emulator.env, cwd: t.dir });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('--snapshot names the file that holds the results (--out)')]);
    expect(t.emulator.calls).toEqual([]);
  });

  test('reconcile run twice: the second refuses before any write', async () => {
    const keep = join(t.dir, 'keep.csv');
    await writeFile(keep, ['user_id', ...Array.from({ length: 6 }, (_, i) => u(i))].join('\n') + '\n');
    const argv = ['reconcile', '--label', C, '--keep', keep, '--yes'];
    expect((await cli(argv, { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    const results = await readFile(join(t.dir, `reconcile-${C}.results.csv`), 'utf8');
    const calls = t.emulator.calls.length;
    const again = await cli(argv, { env: t.emulator.env, cwd: t.dir });
    expect([again.code, again.stderr]).toEqual([2, expect.stringContaining('holds the results of an earlier run (4 records)')]);
    expect(await readFile(join(t.dir, `reconcile-${C}.results.csv`), 'utf8')).toBe(results);
    expect(t.emulator.calls.slice(calls).filter((c) => c.method === 'POST')).toEqual([]);
  });

  test('a journal with no results file beside it (the results moved away) is a record too', async () => {
    const input = await writePairs(t.dir, [[u(1), A]]);
    expect((await cli(['remove', input], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    await rename(join(t.dir, 'pairs.results.csv'), join(t.dir, 'moved.csv'));
    const r = await cli(['remove', input], { env: t.emulator.env, cwd: t.dir });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('pairs.journal: holds the journal of an earlier run')]);
  });

  test('--resume cleans temporary files a killed run left', async () => {
    const input = await writePairs(t.dir, [[u(1), A], [u(2), A]]);
    expect((await cli(['remove', input], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    for (const f of ['pairs.results.csv.tmp-999999', 'pairs.journal.tmp-999999']) await writeFile(join(t.dir, f), 'half');
    expect((await cli(['remove', input, '--resume'], { env: t.emulator.env, cwd: t.dir })).code).toBe(0);
    expect((await readdir(t.dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('a kill -9 while the journal is being created leaves no journal where --resume looks; the resume starts afresh and cleans up', async () => {
    // A preload kills zdlabels at its first write into a journal file (the header),
    // the instant where creating the file, then writing it, would leave it empty.
    const preload = join(t.dir, 'kill-at-journal.cjs');
    await writeFile(preload, `
      const fs = require('node:fs');
      const journals = new Set();
      const open = fs.openSync, write = fs.writeSync;
      fs.openSync = (path, ...rest) => { const fd = open(path, ...rest); if (/\\.journal(\\.tmp-\\d+)?$/.test(String(path))) journals.add(fd); return fd; };
      fs.writeSync = (fd, ...rest) => { if (journals.has(fd)) process.kill(process.pid, 'SIGKILL'); return write(fd, ...rest); };
      require('node:module').syncBuiltinESMExports();
    `);
    const input = await writePairs(t.dir, [[u(1), A], [u(2), A]]);
    const killed = spawn(process.execPath, ['--require', preload, join(repo, 'dist/main.js'), 'remove', input], { cwd: t.dir, env: { PATH: process.env.PATH ?? '', ...t.emulator.env }, stdio: 'ignore' });
    const [, signal] = (await once(killed, 'exit')) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    expect(t.emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel')).toEqual([]);
    const left = await readdir(t.dir);
    expect(left).not.toContain('pairs.journal');
    expect(left.filter((f) => f.startsWith('pairs.journal.tmp-'))).toHaveLength(1);

    const r = await cli(['remove', input, '--resume'], { env: t.emulator.env, cwd: t.dir });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('nothing was recorded; starting from the beginning')]);
    expect((await readdir(t.dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect((await readResults(join(t.dir, 'pairs.results.csv'))).map((x) => x.status)).toEqual(['removed', 'removed']);
    expect(t.emulator.state.members.get(A)?.has(u(1))).toBe(false);
  });

  test('--resume over a journal left empty (an older version killed before its header): starts afresh, saying so', async () => {
    const input = await writePairs(t.dir, [[u(1), A]]);
    await writeFile(join(t.dir, 'pairs.journal'), '');
    const r = await cli(['remove', input, '--resume'], { env: t.emulator.env, cwd: t.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('nothing was recorded; starting from the beginning');
  });
});

describe('zdlabels run: the resume hint resumes the job', () => {
  test('after a stop, the hint is `zdlabels run <job> --resume --out <absolute results path>`, and it works from another folder', async () => {
    const emulator = await startEmulator({ dailyCredits: 2 });
    try {
      const dir = await tempDir();
      const jobs = join(dir, 'jobs');
      await mkdir(join(jobs, 'inbox'), { recursive: true });
      await writeFile(join(jobs, 'inbox', 'leavers.csv'), ['user_id,label_id', ...Array.from({ length: 20 }, (_, i) => `${u(i)},${A}`)].join('\n') + '\n');
      await writeFile(join(jobs, 'leavers.json'), JSON.stringify({ name: 'leavers', action: 'remove', input: 'inbox/leavers.csv', out: 'runs/{job}.results.csv', batchSize: 5, concurrency: 1, guard: false }));
      const r = await cli(['run', join(jobs, 'leavers.json')], { env: emulator.env, cwd: dir });
      expect(r.code).toBe(6);
      const out = join(jobs, 'runs', 'leavers.results.csv');
      expect(r.stderr).toContain(`with: zdlabels run ${join(jobs, 'leavers.json')} --resume --out ${out}`);
      emulator.knobs.dailyCredits = Number.POSITIVE_INFINITY;
      const hint = /with: zdlabels (run .*)$/m.exec(r.stderr)![1]!.split(' ');
      const elsewhere = await tempDir();
      await copyFile(join(jobs, 'inbox', 'leavers.csv'), join(elsewhere, 'unrelated.csv'));
      const again = await cli(hint, { env: emulator.env, cwd: elsewhere });
      expect(again.code).toBe(0);
      expect(emulator.state.members.get(A)?.size).toBe(60);
    } finally {
      await emulator.close();
    }
  });
});
