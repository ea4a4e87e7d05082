import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningEmulator } from '../src/emulator/server.js';
import { startEmulator } from '../src/emulator/server.js';
import { readInput, readPairs } from '../src/rows/readPairs.js';
import { textOf } from '../src/rows/textColumn.js';
import { rowsOf } from './helpers/rows.js';
import { cli, tempDir } from './helpers/cli.js';

const U1 = '1060099000000334001';
const U2 = '1060099000000334002';
const L = '24073000002958013';

async function file(content: string | Buffer, name = 'in.csv'): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, content);
  return path;
}

describe('reading the input CSV', () => {
  test.each([
    ['comma, LF', `user_id,label_id\n${U1},${L}\n${U2},${L}\n`],
    ['semicolon, CRLF, BOM', `\uFEFFuser_id;label_id\r\n${U1};${L}\r\n${U2};${L}\r\n`],
    ['tab', `user_id\tlabel_id\n${U1}\t${L}\n${U2}\t${L}\n`],
    ['camelCase headers among others, blank lines', `name,userId,email,labelId\n"Doe, Jane",${U1},j@x.io,${L}\n\n\n"Roe, Rick", ${U2} ,r@x.io,${L}\n\n`],
    ['"User ID" / "Label ID"', `User ID,Label ID\n${U1},${L}\n${U2},${L}\n`],
  ])('%s', async (_name, content) => {
    const rows = rowsOf(await readPairs(await file(content)));
    expect(rows.map((r) => [r.row, r.userId, r.labelId, r.problem])).toEqual([
      [1, U1, L, undefined],
      [2, U2, L, undefined],
    ]);
  });

  test('bad values make their row invalid, with a message; the others go on', async () => {
    const rows = rowsOf(await readPairs(await file(`user_id,label_id\n6.0000000000000E+18,${L}\n${U1},\nabc,${L}\n${U1}.0,${L}\n${U2},${L}\n${U2},${L}\n`)));
    expect(rows.map((r) => [r.row, r.line, r.problem?.status ?? 'ok'])).toEqual([
      [1, 2, 'invalid'],
      [2, 3, 'invalid'],
      [3, 4, 'invalid'],
      [4, 5, 'invalid'],
      [5, 6, 'ok'],
      [6, 7, 'duplicate'],
    ]);
    expect(rows[0]!.problem?.message).toMatch(/spreadsheet scientific notation.*destroyed the ID's last digits/);
    expect(rows[1]!.problem?.message).toBe('label_id is empty');
    expect(rows[2]!.problem?.message).toContain('"abc" is not a Zoho ID');
    expect(rows[3]!.problem?.message).toContain('decimal part');
    expect(rows[5]!.problem?.message).toBe('same pair as row 5');
  });
});

describe('emails and label names beside the IDs', () => {
  test.each([
    ['email, label', 'email,label\nann@x.io,Beta Tester\n'],
    ['"Email Address", "Label Name"', 'Email Address;Label Name\nann@x.io;Beta Tester\n'],
    ['E-mail with User ID, and Label ID with Label', `User ID,E-mail,Label ID,Label\n,ann@x.io,,Beta Tester\n`],
  ])('%s: the row needs a lookup and keeps what it said', async (_name, content) => {
    const input = await readInput(await file(content));
    expect(input.lookups).toEqual([0]);
    expect(input.invalid).toEqual([]);
    expect(input.email && textOf(input.email, 0)).toBe('ann@x.io');
    expect(input.labelName && textOf(input.labelName, 0)).toBe('Beta Tester');
  });

  test('an ID cell wins over its email or name cell; a row with neither is invalid, saying which columns are empty', async () => {
    const input = await readInput(await file(`user_id,email,label_id,label\n${U1},ann@x.io,${L},Beta\n,,${L},\n${U1},,,\n`));
    expect(input.lookups).toEqual([]);
    expect(input.invalid).toEqual([
      { row: 1, message: 'user_id and email are both empty' },
      { row: 2, message: 'label_id and label are both empty' },
    ]);
  });

  test('two columns meaning the same thing are refused: keep one', async () => {
    await expect(readInput(await file('email,Email Address,label\na@x.io,a@x.io,B\n'))).rejects.toThrow(/the header has both "email" and "Email Address": keep one/);
  });

  test('readPairs (snapshots, plans) never looks up: such a row is invalid there', async () => {
    const rows = rowsOf(await readPairs(await file('email,label\nann@x.io,Beta\n')));
    expect(rows[0]!.problem?.message).toContain('only `zdlabels remove` looks up');
  });
});

describe('file-level problems exit 2 before any API call', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  test.each([
    ['a missing file', undefined, /missing\.csv: no such file/],
    ['an empty file', '', /the file is empty/],
    ['only blank lines', '\n\n', /has no rows/],
    ['no user_id header', `user,label_id\n${U1},${L}\n`, /:1: no user_id \(or email\) column in the header; the headers found are "user", "label_id"/],
    ['no header at all', `${U1},${L}\n`, /no user_id \(or email\) and label_id \(or label\) column.*"1060099000000334001"/],
    ['binary content', Buffer.from([0x75, 0x73, 0x0a, 0x00, 0x01, 0x02]), /:2: binary content/],
    ['an Excel workbook', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), /Excel \.xlsx/],
    ['UTF-16', Buffer.from('\uFEFFuser_id,label_id\n', 'utf16le'), /UTF-16/],
    ['an unclosed quote', `user_id,label_id\n${U1},${L}\n"${U2},${L}\n${U1},1\n`, /:3: a quote is opened here/],
  ])('%s', async (_name, content, message) => {
    const dir = await tempDir();
    const path = join(dir, content === undefined ? 'missing.csv' : 'in.csv');
    if (content !== undefined) await writeFile(path, content);
    const before = emulator.calls.length;
    const r = await cli(['remove', path], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(path);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(emulator.calls.length).toBe(before);
    expect(emulator.tokenRequests.length).toBe(0);
  });

  test.each([
    [['--concurrency', '0'], 'Expected --concurrency to be an integer ≥ 1, got `0`'],
    [['--batch-size', '2.5'], 'Expected --batch-size to be an integer ≥ 1, got `2.5`'],
    [['--by', 'both'], 'Invalid values'],
    [['--help-center-id', 'abc'], 'Expected --help-center-id to be a Zoho ID'],
    [['--resume', '--dry-run'], 'do not go together'],
  ])('bad option %j', async (args, message) => {
    const dir = await tempDir();
    const path = join(dir, 'in.csv');
    await writeFile(path, `user_id,label_id\n${U1},${L}\n`);
    const r = await cli(['remove', path, ...args], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('missing configuration is exit 2 naming the variable, and nothing is sent', async () => {
    const dir = await tempDir();
    const path = join(dir, 'in.csv');
    await writeFile(path, `user_id,label_id\n${U1},${L}\n`);
    const { ZOHO_ORG_ID: _o, ...noOrg } = emulator.env;
    const r = await cli(['remove', path], { env: noOrg, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ZOHO_ORG_ID: missing');
    expect(r.stderr).not.toContain(emulator.credentials.clientSecret);
    expect(emulator.calls.length).toBe(0);
  });
});
