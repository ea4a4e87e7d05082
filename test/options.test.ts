// The command line: option values are never silently replaced by defaults,
// every option is described in --help, and the "see --help" hint follows only
// errors about the command line itself.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { cli, tempDir, writePairs } from './helpers/cli.js';
import { A, u } from './helpers/seed.js';

const HINT = 'Run `zdlabels --help` for usage.';
let emulator: RunningEmulator;
let dir: string;
let input: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await tempDir();
  input = await writePairs(dir, [[u(0), A]]);
});
afterEach(() => emulator.close());

describe('numeric options are taken as given, or refused showing what was given', () => {
  test.each([
    [['--batch-size'], 'Expected --batch-size to be an integer ≥ 1, got no value'],
    [['--batch-size', '--verbose'], 'Expected --batch-size to be an integer ≥ 1, got no value'],
    [['--batch-size='], 'Expected --batch-size to be an integer ≥ 1, got no value'],
    [['--batch-size', 'abc'], 'Expected --batch-size to be an integer ≥ 1, got `abc`'],
    [['--concurrency'], 'Expected --concurrency to be an integer ≥ 1, got no value'],
    [['--retries'], 'Expected --retries to be an integer ≥ 0 and ≤ 100, got no value'],
    [['--retries', '101'], 'Expected --retries to be an integer ≥ 0 and ≤ 100, got `101`'],
    [['--max-removals'], 'Expected --max-removals to be an integer ≥ 0, got no value'],
    [['--timeout', '0'], 'Expected --timeout to be a number > 0 and ≤ 86400, got `0`'],
    [['--timeout'], 'Expected --timeout to be a number > 0 and ≤ 86400, got no value'],
    [['--timeout', '1e9'], 'Expected --timeout to be a number > 0 and ≤ 86400, got `1e9`'],
    [['--batch-size', '10', '--batch-size', '20'], '--batch-size was given 2 times (10, 20); give it once'],
    // numbers are read as typed: yargs alone would make 1e3 a thousand and 0x10 sixteen
    [['--batch-size', '1e3'], 'Expected --batch-size to be an integer ≥ 1, got `1e3`'],
    [['--concurrency', '0x10'], 'Expected --concurrency to be an integer ≥ 1, got `0x10`'],
    // a flag is on or off: yargs alone reads --dry-run=yes as false, and the run would send
    [['--dry-run=yes'], 'Expected --dry-run alone (or =true, =false), got `--dry-run=yes`: it is on or off'],
    [['--no-guard=1'], 'Expected --no-guard alone (or =true, =false), got `--no-guard=1`: it is on or off'],
    // an option that takes a word, given none: yargs alone reads an empty string
    [['--out', '--by', 'label'], 'Expected a value after --out, got nothing'],
    [['--by'], 'Expected a value after --by, got nothing'],
    [['--out='], 'Expected a value after --out=, got nothing'],
  ])('remove %j: exit 2, nothing sent', async (args, message) => {
    const r = await cli(['remove', input, ...args], { env: emulator.env, cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, `zdlabels: ${message}\n${HINT}\n`]);
    expect(emulator.calls).toHaveLength(0);
  });

  test.each([
    [['doctor', '--timeout', '0'], 'Expected --timeout to be a number > 0 and ≤ 86400, got `0`'],
    [['export', '--label', A, '--timeout'], 'Expected --timeout to be a number > 0 and ≤ 86400, got no value'],
    [['retire-label', '--label', A, '--yes', '--batch-size'], 'Expected --batch-size to be an integer ≥ 1, got no value'],
    [['run', 'job.json', '--batch-size'], 'Expected --batch-size to be a number, got no value'],
    [['run', 'job.json', '--timeout', 'soon'], 'Expected --timeout to be a number, got `soon`'],
  ])('%j: exit 2, nothing sent', async (args, message) => {
    await writeFile(join(dir, 'job.json'), JSON.stringify({ name: 'j', action: 'remove', input: 'pairs.csv' }));
    const r = await cli(args, { env: emulator.env, cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, `zdlabels: ${message}\n${HINT}\n`]);
    expect(emulator.calls).toHaveLength(0);
  });

  test('run: --timeout 0 is refused by the job schema, with the job\'s other problems', async () => {
    await writeFile(join(dir, 'job.json'), JSON.stringify({ name: 'j', action: 'remove', input: 'pairs.csv' }));
    const r = await cli(['run', 'job.json', '--timeout', '0'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/timeout: must be > 0, got 0');
    expect(emulator.calls).toHaveLength(0);
  });

  test('--retries past 100 is refused by the same rule in a job and as an override of one, showing the value', async () => {
    await writeFile(join(dir, 'job.json'), JSON.stringify({ name: 'j', action: 'remove', input: 'pairs.csv', retries: 1000 }));
    const inJob = await cli(['run', 'job.json'], { env: emulator.env, cwd: dir });
    expect([inJob.code, inJob.stderr]).toEqual([2, expect.stringContaining('/retries: must be ≤ 100, got 1000')]);
    await writeFile(join(dir, 'job.json'), JSON.stringify({ name: 'j', action: 'remove', input: 'pairs.csv' }));
    const override = await cli(['run', 'job.json', '--retries', '101'], { env: emulator.env, cwd: dir });
    expect([override.code, override.stderr]).toEqual([2, expect.stringContaining('/retries: must be ≤ 100, got 101')]);
    expect(emulator.calls).toHaveLength(0);
  });

  test('a value given is used: --timeout 0.5, --batch-size 1', async () => {
    const two = await writePairs(dir, [[u(0), A], [u(1), A]], 'two.csv');
    const r = await cli(['remove', two, '--timeout', '0.5', '--batch-size', '1'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(0);
    expect(emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel').map((c) => c.ids)).toEqual([[u(0)], [u(1)]]);
  });
});

describe('--help describes every option of every command', () => {
  const commands = ['remove', 'export', 'retire-label', 'reconcile', 'restore', 'run', 'schema', 'doctor', 'demo', 'emulator'];

  /** Each option of a help text, with what follows its flag on its line up to the first [type]/[default] note. */
  function options(help: string): { flag: string; text: string }[] {
    return help
      .split('\n')
      .filter((l) => /^ {2}(-\w, )?--[\w-]+/.test(l))
      .map((l) => ({ flag: /--[\w-]+/.exec(l)![0], text: l.replace(/^ {2}(-\w, )?--[\w-]+/, '').replace(/\[.*$/, '').trim() }));
  }

  test.each(commands)('zdlabels %s --help', async (command) => {
    // yargs prints help with console.log, so it is read from a child process
    const r = spawnSync(process.execPath, ['dist/main.js', command, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', COLUMNS: '110' } });
    expect(r.status).toBe(0);
    const found = options(r.stdout);
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(found.filter((o) => o.text === '').map((o) => o.flag)).toEqual([]);
    if (command === 'run') expect(found.length).toBeGreaterThanOrEqual(21);
  });

  test('the files a command takes are described as all it accepts: remove reads emails and label names, restore any results file that removed', () => {
    const help = (command: string) => spawnSync(process.execPath, ['dist/main.js', command, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', COLUMNS: '200' } }).stdout;
    expect(help('remove')).toContain('input  CSV with user_id (or email) and label_id (or label) columns');
    expect(help('restore')).toContain('results  Results CSV of remove, retire-label, reconcile or prune');
  });
});

describe('the "see --help" hint follows only errors about the command line', () => {
  test.each([
    [['remove'], 'Not enough non-option arguments'],
    [['remove', 'x.csv', '--bogus'], 'Unknown argument: bogus'],
    [['frobnicate'], 'Unknown argument: frobnicate'],
  ])('%j: the hint', async (args, message) => {
    const r = await cli(args, { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(HINT);
  });

  test('under --log-format json, a usage error is one JSON line on stderr', async () => {
    const r = await cli(['remove', input, '--log-format', 'json', '--batch-size', 'x'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'error', code: 'USAGE', message: 'Expected --batch-size to be an integer ≥ 1, got `x`', exitCode: 2 });
    expect(emulator.calls).toHaveLength(0);
  });

  test('a label that does not exist: exit 2, no hint', async () => {
    const r = await cli(['retire-label', '--label', '24073000009999999', '--yes'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--label 24073000009999999: no such label');
    expect(r.stderr).not.toContain(HINT);
  });

  test('--out that is the input: exit 2, no hint', async () => {
    const r = await cli(['remove', input, '--out', input], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out is the input');
    expect(r.stderr).not.toContain(HINT);
  });
});
