// Properties of the results writer (src/rows/results.ts): whatever the IDs and
// messages hold, a CSV reader gets back one record per input row, in order,
// each cell exactly as written, with cells a spreadsheet would run as a
// formula defused by a leading apostrophe.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { OutcomeStore } from '../src/rows/outcomes.js';
import { resultColumns, writeResults } from '../src/rows/results.js';
import { RowTableBuilder } from '../src/rows/table.js';
import { SEED, status, text } from './helpers/arbitraries.js';
import { tempDir } from './helpers/cli.js';

/** What a cell must hold: a value starting with one of these gets a `'` in front (OWASP's advice for CSV injection). */
const FORMULA_LEADS = ['=', '+', '-', '@', '\t', '\r'];
const shown = (value: string): string => (FORMULA_LEADS.some((c) => value.startsWith(c)) ? `'${value}` : value);

const row = fc.record(
  {
    userId: fc.oneof(text(), fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n - 1n }).map(String)),
    labelId: fc.oneof(text(), fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n - 1n }).map(String)),
    status,
    http: fc.constantFrom(204, 404, 422, 500),
    code: text(),
    message: text(40),
    attempts: fc.integer({ min: 0, max: 300 }),
    // batch IDs are the tool's own (b<n>, then .<part> or .r per split)
    batch: fc.tuple(fc.integer({ min: 1, max: 999 }), fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }).map(String), fc.constant('r')), { maxLength: 3 })).map(([n, parts]) => [`b${n}`, ...parts].join('.')),
    at: fc.integer({ min: 1, max: 4_102_444_800_000 }),
    verified: fc.constantFrom(true, false),
    why: fc.option(text(20), { nil: undefined }),
  },
  { requiredKeys: ['userId', 'labelId'] },
);
type Row = typeof row extends fc.Arbitrary<infer R> ? R : never;

/** The message a row ends with: its own, then why a read-back did not confirm it (as OutcomeStore.setVerified adds it). */
const messageOf = (r: Row): string => {
  const m = r.status === undefined ? '' : (r.message ?? '');
  if (r.status === undefined || r.verified !== false || r.why === undefined) return m;
  return m ? `${m}; ${r.why}` : r.why;
};

function expected(r: Row, i: number, verify: boolean): string[] {
  const finished = r.status !== undefined;
  const cells = [
    String(i + 1),
    shown(r.userId),
    shown(r.labelId),
    r.status ?? 'deferred',
    finished && r.http !== undefined ? String(r.http) : '',
    finished ? shown(r.code ?? '') : '',
    shown(messageOf(r)),
    // past 255 too: free 429 retries of a split batch's parts can take a row there
    finished ? String(r.attempts ?? 0) : '0',
    finished ? (r.batch ?? '') : '',
    finished && r.at !== undefined ? new Date(r.at).toISOString() : '',
  ];
  if (verify) cells.push(finished && r.verified !== undefined ? (r.verified ? 'yes' : 'no') : '');
  return cells;
}

describe('results writer properties', () => {
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    dir = await tempDir();
  });

  test('one record per row, in input order; every ID and message round-trips through a CSV reader; formula cells escaped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), fc.boolean(), async (rows, verify) => {
        const b = new RowTableBuilder();
        rows.forEach((r, i) => b.add(r.userId, r.labelId, i + 2));
        const table = b.finish();
        const outcomes = new OutcomeStore(table.size);
        rows.forEach((r, i) => {
          if (r.status === undefined) return; // never finished: shown as deferred
          outcomes.set(i, r.status, { http: r.http, code: r.code, message: r.message, attempts: r.attempts, batch: r.batch, at: r.at });
          if (r.verified !== undefined) outcomes.setVerified(i, r.verified, r.verified ? undefined : r.why);
        });
        const file = join(dir, `r${(n += 1)}.results.csv`);
        await writeResults(file, table, outcomes, { verify });
        const records = parse(await readFile(file, 'utf8'), { columns: false }) as string[][];
        expect(records[0]).toEqual([...resultColumns, ...(verify ? ['verified'] : [])]);
        expect(records.slice(1)).toEqual(rows.map((r, i) => expected(r, i, verify)));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
