// The process's edges, with real child processes: a reader of stdout or stderr
// that goes away (`| head -1`), and a second Ctrl-C while a progress bar has the
// terminal's cursor hidden and line wrap off.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { RESTORE_TERMINAL } from '../src/terminal.js';
import { readResults, tempDir, writePairs } from './helpers/cli.js';
import { until } from './helpers/emulator.js';
import { A, u } from './helpers/seed.js';

const main = join(process.cwd(), 'dist/main.js');
const HIDE_CURSOR = '\u001b[?25l';

function runCli(args: string[], env: Record<string, string>, cwd: string, nodeFlags: string[] = []): ChildProcess & { err: () => string; out: () => string } {
  const child = spawn(process.execPath, [...nodeFlags, main, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return Object.assign(child, { out: () => out, err: () => err });
}

async function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code, signal };
}

const writes = (e: RunningEmulator) => e.calls.filter((c) => c.endpoint === 'removeUsersFromLabel').length;

describe('a reader that goes away (EPIPE) ends zdlabels quietly', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator?.close());

  test('zdlabels doctor | head -1: exit 0, no stack trace, no "internal error"', async () => {
    emulator = await startEmulator({ latencyMs: 150 });
    const dir = await tempDir();
    const child = runCli(['doctor'], emulator.env, dir);
    // head -1: read the first line, then close the pipe while doctor still has lines to write
    await once(child.stdout!, 'data');
    child.stdout!.destroy();
    const { code } = await exited(child);
    expect({ code, stderr: child.err() }).toEqual({ code: 0, stderr: '' });
    expect(child.out()).toMatch(/^✔ data centre com/);
  });

  test('zdlabels export (members to stdout) | head -1: exit 0, no stack trace', async () => {
    emulator = await startEmulator();
    const child = runCli(['export', '--label', '24073000002958013'], emulator.env, await tempDir());
    await once(child.stdout!, 'data');
    child.stdout!.destroy();
    const { code } = await exited(child);
    expect(code).toBe(0);
    expect(child.err()).not.toMatch(/\n\s+at |internal error|EPIPE/);
    expect(child.out()).toMatch(/^user_id,label_id/);
  });

  test('zdlabels schema into a reader that closed before the first write', async () => {
    const child = runCli(['schema'], {}, await tempDir());
    child.stdout!.destroy();
    const { code } = await exited(child);
    expect({ code, stderr: child.err() }).toEqual({ code: 0, stderr: '' });
  });

  test('stdout on a full disk is not a reader going away: said on stderr, exit 1, no stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [main, 'schema'], { stdio: ['ignore', full, 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const { code } = await exited(child);
      expect({ code, err }).toEqual({ code: 1, err: 'zdlabels: cannot write to stdout (ENOSPC); the output is incomplete\n' });
    } finally {
      closeSync(full);
    }
  });

  test('a run whose stderr reader goes away stops as on Ctrl-C: the results are written, the rest deferred, exit 1', async () => {
    emulator = await startEmulator({ latencyMs: 40 });
    const dir = await tempDir();
    const input = await writePairs(dir, Array.from({ length: 60 }, (_, i) => [u(i), A] as [string, string]));
    const child = runCli(['remove', input, '--batch-size', '1', '--concurrency', '1', '--log-format', 'json'], emulator.env, dir);
    await until(() => writes(emulator) >= 2);
    child.stderr!.destroy();
    const { code } = await exited(child);
    expect(code).toBe(1);
    const results = await readResults(join(dir, 'pairs.results.csv'));
    expect(results).toHaveLength(60);
    const removed = results.filter((r) => r.status === 'removed').length;
    expect(results.filter((r) => r.status === 'deferred')).toHaveLength(60 - removed);
    expect(removed).toBeLessThan(30);
    expect(emulator.state.members.get(A)?.size).toBe(80 - removed);
  });
});

describe('a second Ctrl-C puts the terminal back', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator?.close());

  async function startRun(spawnIt: (args: string[], dir: string) => ChildProcess): Promise<ChildProcess> {
    emulator = await startEmulator({ latencyMs: 800 });
    const dir = await tempDir();
    const input = await writePairs(dir, Array.from({ length: 20 }, (_, i) => [u(i), A] as [string, string]));
    const child = spawnIt(['remove', input, '--batch-size', '1', '--concurrency', '1'], dir);
    // the bar is up and a call is in flight: the first Ctrl-C waits for it, the second must not
    await until(() => emulator.calls.some((c) => c.endpoint === 'removeUsersFromLabel'));
    return child;
  }

  /** After the bar last hid the cursor, the cursor is shown and line wrap turned on again. */
  function expectRestored(terminal: string): void {
    const hidden = terminal.lastIndexOf(HIDE_CURSOR);
    expect(hidden).toBeGreaterThanOrEqual(0);
    expect(terminal.slice(hidden)).toContain(RESTORE_TERMINAL);
    expect(RESTORE_TERMINAL).toBe('\u001b[?25h\u001b[?7h');
  }

  test('SIGINT twice, stderr a terminal (as the process sees it): the show-cursor and wrap-on sequences are written, then the process ends by SIGINT', async () => {
    const child = await startRun((args, dir) => runCli(args, emulator.env, dir, ['--import', join(process.cwd(), 'test/helpers/stderrIsTty.mjs')]));
    child.kill('SIGINT');
    await sleep(100);
    child.kill('SIGINT');
    const { signal } = await exited(child);
    expect(signal).toBe('SIGINT');
    expectRestored((child as ReturnType<typeof runCli>).err());
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  // util-linux `script` gives the run a real pseudo-terminal; Ctrl-C is typed into it (\x03).
  (hasScript ? test : test.skip)('Ctrl-C twice typed into a real pseudo-terminal (util-linux script)', async () => {
    let terminal = '';
    const child = await startRun((args, dir) => {
      const env = Object.entries({ PATH: process.env.PATH ?? '', ...emulator.env }).map(([k, v]) => `${k}='${v}'`).join(' ');
      const c = spawn('script', ['-qfec', `env -i ${env} ${process.execPath} ${main} ${args.join(' ')}`, '/dev/null'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
      c.stdout.on('data', (d: Buffer) => (terminal += d.toString()));
      return c;
    });
    await until(() => terminal.includes('removing ['));
    child.stdin!.write('\u0003');
    await sleep(100);
    child.stdin!.write('\u0003');
    const { code } = await exited(child);
    expect(code).toBe(130); // script -e: the command ended by SIGINT (128 + 2)
    expectRestored(terminal);
  });
});
