// Hostile and odd input files: each is refused quickly, exit 2, with a short
// message that says what to do, and nothing is sent. IDs that can never be Zoho
// IDs are `invalid` locally and never reach the API.
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { InvalidIdError } from '../src/errors/InvalidIdError.js';
import { readPairs } from '../src/rows/readPairs.js';
import { rowsOf } from './helpers/rows.js';
import { isZohoId } from '../src/zoho/ids.js';
import { cli, readResults, tempDir } from './helpers/cli.js';
import { clientFor, rejection } from './helpers/emulator.js';
import { A, u } from './helpers/seed.js';

const U1 = u(0);

/** Writes `size` bytes of `fill` after `start`, in 1 MiB chunks (never the whole file in memory). */
async function bigFile(path: string, start: string, fill: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = Buffer.alloc(1024 * 1024, fill);
  out.write(start);
  for (let written = 0; written < size; written += chunk.length) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

describe('hostile files exit 2, quickly, echoing little, before any call', () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function refused(path: string): Promise<string> {
    const before = emulator.calls.length;
    const r = await cli(['remove', path], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(emulator.calls.length).toBe(before);
    expect(emulator.tokenRequests.length).toBe(0);
    return r.stderr;
  }

  test('a 200 MB file without a line break: refused within two seconds, the "header" not echoed', async () => {
    const path = join(dir, 'huge.csv');
    await bigFile(path, 'user_id,label_id', 'x', 200 * 1024 * 1024);
    const started = performance.now();
    const stderr = await refused(path);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(stderr).toMatch(/huge\.csv:1: a line longer than 1048576 characters: not a CSV file with one row per line/);
    expect(stderr.length).toBeLessThan(400);
  });

  test('a quote never closed in a large file is named as such, at its line', async () => {
    const path = join(dir, 'quote.csv');
    await bigFile(path, `user_id,label_id\n${U1},${A}\n"${u(1)},${A}\n`, `${u(2)},${A}\n`, 3 * 1024 * 1024);
    expect(await refused(path)).toMatch(/quote\.csv:3: a quote is opened here \(or just below\) and never closed/);
  });

  test('a long header without user_id: each header echoed is cut to 100 characters, and at most 20 are listed', async () => {
    const path = join(dir, 'wide.csv');
    const long = 'h'.repeat(5000);
    await writeFile(path, `${long},${Array.from({ length: 30 }, (_, i) => `c${i}`).join(',')}\n${U1},${A}\n`);
    const stderr = await refused(path);
    expect(stderr).toContain(`"${'h'.repeat(100)}… (5000 characters)"`);
    expect(stderr).not.toContain('h'.repeat(101));
    expect(stderr).toContain('"c18" … (31 in all)');
    expect(stderr).not.toContain('"c19"');
  });

  test('a NUL byte far past the first 64 KiB is found, with its line', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${u(i)},${A}`).join('\n');
    const path = join(dir, 'nul.csv');
    await writeFile(path, Buffer.concat([Buffer.from(`user_id,label_id\n${rows}\n${U1},240730\0`), Buffer.from(`0002958013\n${u(1)},${A}\n`)]));
    expect(await refused(path)).toMatch(/nul\.csv:5002: binary content \(a NUL byte\)/);
  });

  test.each([
    ['little-endian', 'utf16le' as const, /looks like UTF-16 text \(little-endian, without a byte order mark\).*save it as "CSV UTF-8"/],
    ['big-endian', 'utf16be' as const, /looks like UTF-16 text \(big-endian, without a byte order mark\).*save it as "CSV UTF-8"/],
  ])('UTF-16 %s without a byte order mark says so, and how to save as UTF-8', async (_name, encoding, message) => {
    const text = `user_id,label_id\n${U1},${A}\n`;
    const le = Buffer.from(text, 'utf16le');
    const bytes = encoding === 'utf16le' ? le : Buffer.from(le).swap16();
    const path = join(dir, 'u16.csv');
    await writeFile(path, bytes);
    const stderr = await refused(path);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('binary content');
  });

  test('a pipe (`remove <(cmd)`) says it is not a regular file, instead of ESPIPE; nothing waits for a writer', async () => {
    const path = join(dir, 'fifo.csv');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    expect(await refused(path)).toContain('fifo.csv: is not a regular file (a pipe or a device): save the CSV to a file');
  });

  test('line ends are still LF, CRLF or a lone CR (old Mac "CSV (Macintosh)"), now given to the parser explicitly', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const path = join(dir, 'eol.csv');
      await writeFile(path, ['user_id,label_id', `${U1},${A}`, `${u(1)},${A}`, ''].join(eol));
      const rows = rowsOf(await readPairs(path));
      expect([JSON.stringify(eol), rows.map((r) => [r.userId, r.labelId, r.problem])]).toEqual([JSON.stringify(eol), [[U1, A, undefined], [u(1), A, undefined]]]);
    }
  });

  test('a directory given as the input says it is a directory', async () => {
    const path = join(dir, 'exports.csv');
    await mkdir(path);
    expect(await refused(path)).toContain('exports.csv: is a directory, not a CSV file');
  });
});

describe('IDs that can never be Zoho IDs', () => {
  const MAX = '9223372036854775807';
  const bad = ['0', '0000', `0${U1}`, '007', `${U1}0`, '9223372036854775808', '99999999999999999999'];

  test('are invalid rows, each with its reason; the largest 64-bit ID is fine', async () => {
    const dir = await tempDir();
    const path = join(dir, 'ids.csv');
    await writeFile(path, ['user_id,label_id', ...bad.map((b) => `${b},${A}`), `${MAX},${A}`, `${U1},${'1'.repeat(300)}`].join('\n'));
    const rows = rowsOf(await readPairs(path));
    expect(rows.map((r) => r.problem?.status ?? 'ok')).toEqual([...bad.map(() => 'invalid'), 'ok', 'invalid']);
    const messages = rows.map((r) => r.problem?.message);
    expect(messages[0]).toBe('user_id "0" is not a Zoho ID (Zoho IDs are never 0)');
    expect(messages[1]).toBe('user_id "0000" is not a Zoho ID (Zoho IDs are never 0)');
    expect(messages[2]).toMatch(/starts with 0, which Zoho IDs never do/);
    expect(messages[4]).toBe(`user_id "${U1}0" is not a Zoho ID (20 digits, above the largest a Zoho ID can be: ${MAX})`);
    expect(messages[5]).toMatch(/19 digits, above the largest/);
    expect(messages[8]).toBe(`label_id "${'1'.repeat(100)}… (300 characters)" is not a Zoho ID (300 digits, above the largest a Zoho ID can be: ${MAX})`);
  });

  test('are never sent: the run sends only the good row, and exits 1', async () => {
    const emulator = await startEmulator();
    try {
      const dir = await tempDir();
      const path = join(dir, 'ids.csv');
      await writeFile(path, ['user_id,label_id', ...bad.map((b) => `${b},${A}`), `${U1},${A}`, `${U1.slice(0, 18)},0`].join('\n'));
      const r = await cli(['remove', path], { env: emulator.env, cwd: dir });
      expect(r.code).toBe(1);
      const sent = emulator.calls.flatMap((c) => [c.path, ...c.ids]).join(' ');
      for (const b of bad) expect(sent).not.toMatch(new RegExp(`(^|\\D)${b}(\\D|$)`));
      expect(emulator.calls.filter((c) => c.endpoint === 'removeUsersFromLabel').map((c) => c.ids)).toEqual([[U1]]);
      const results = await readResults(join(dir, 'ids.results.csv'));
      expect(results.map((x) => x.status)).toEqual([...bad.map(() => 'invalid'), 'removed', 'invalid']);
    } finally {
      await emulator.close();
    }
  });

  test('the client refuses them too, before any I/O', async () => {
    expect(bad.filter((b) => isZohoId(b))).toEqual([]);
    expect(isZohoId(MAX)).toBe(true);
    const emulator = await startEmulator();
    try {
      const client = clientFor(emulator);
      for (const labelId of ['0', '99999999999999999999']) {
        const error = await rejection(client.call('removeUsersFromLabel', { path: { labelId }, body: { userIds: [U1] } }));
        expect(error).toBeInstanceOf(InvalidIdError);
      }
      const error = await rejection(client.call('removeUsersFromLabel', { path: { labelId: A }, body: { userIds: [U1, '0'] } }));
      expect((error as Error).message).toContain('userIds[1]');
      expect(emulator.calls).toHaveLength(0);
    } finally {
      await emulator.close();
    }
  });

  test.each([
    [['retire-label', '--label', '0', '--yes'], 'Expected --label to be a Zoho ID, got `0` (Zoho IDs are never 0)'],
    [['export', '--label', '99999999999999999999'], 'Expected --label to be a Zoho ID, got `99999999999999999999` (20 digits'],
  ])('as an option: %j is refused, exit 2', async (args, message) => {
    const emulator = await startEmulator();
    try {
      const r = await cli(args, { env: emulator.env, cwd: await tempDir() });
      expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(message)]);
      expect(emulator.calls).toHaveLength(0);
    } finally {
      await emulator.close();
    }
  });
});
