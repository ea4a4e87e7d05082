// Properties of the journal (src/rows/journal.ts): a kill at any byte leaves a
// prefix of the file; reading that prefix gives exactly the calls whose lines
// it holds whole, and a resumed run appending to it loses nothing it writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../src/errors/InputError.js';
import { Journal, readJournal, type JournalEntry } from '../src/rows/journal.js';
import { OutcomeStore } from '../src/rows/outcomes.js';
import { RowTableBuilder, type RowTable } from '../src/rows/table.js';
import { SEED, status, text } from './helpers/arbitraries.js';
import { tempDir } from './helpers/cli.js';

const ROWS = 30;

const entry: fc.Arbitrary<JournalEntry> = fc.record(
  {
    rows: fc.uniqueArray(fc.nat(ROWS - 1), { minLength: 1, maxLength: 8 }),
    status,
    http: fc.constantFrom(200, 204, 404, 422, 500),
    code: text(),
    message: text(40),
    attempts: fc.integer({ min: 1, max: 9 }),
    batch: fc.string({ maxLength: 8 }),
    at: fc.integer({ min: 1, max: 4_102_444_800_000 }),
  },
  { requiredKeys: ['rows', 'status'] },
);

const table: RowTable = (() => {
  const b = new RowTableBuilder();
  for (let i = 0; i < ROWS; i += 1) b.add(String(1060099000000334001n + BigInt(i)), '24073000002958013', i + 2);
  return b.finish();
})();

/** The outcome of every row after these entries, later entries winning (as --resume applies them). */
function outcomesAfter(entries: JournalEntry[]): unknown[] {
  const store = new OutcomeStore(ROWS);
  for (const e of entries) store.setMany(e.rows, e.status, e);
  return Array.from({ length: ROWS }, (_, i) => store.outcome(table, i));
}

async function read(path: string): Promise<{ entries: JournalEntry[]; skipped: number }> {
  const entries: JournalEntry[] = [];
  const { skipped } = await readJournal(path, (e) => entries.push(e));
  return { entries, skipped };
}

/** An entry as a reader can see it again (JSON drops undefined fields). */
const asWritten = (e: JournalEntry): JournalEntry => JSON.parse(JSON.stringify(e)) as JournalEntry;

const header = { command: 'remove', input: 'pairs.csv', sha256: 'a'.repeat(64), rows: ROWS, startedAt: '2026-01-05T09:00:00.000Z' };

describe('journal properties', () => {
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    dir = await tempDir();
  });

  test('a journal cut at any byte reads back as the calls it holds whole; a resumed run appends after a torn line without losing a record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 12 }), fc.array(entry, { maxLength: 4 }), fc.noBias(fc.nat()), async (before, after, where) => {
        n += 1;
        const full = join(dir, `run${n}.journal`);
        const journal = Journal.create(full, header);
        for (const e of before) journal.record(e);
        journal.close();
        const bytes = readFileSync(full);
        const cut = where % (bytes.length + 1); // a kill at any byte, uniformly
        const killed = join(dir, `killed${n}.journal`);
        writeFileSync(killed, bytes.subarray(0, cut));

        // the lines whose JSON ends inside the prefix (its newline may be cut off: the record is still whole)
        const headerEnd = bytes.indexOf(0x0a);
        if (cut < headerEnd) {
          // Journal.create writes the header under another name first, so no kill leaves this; the reader refuses it anyway
          await expect(readJournal(killed, () => undefined)).rejects.toBeInstanceOf(InputError);
          return;
        }
        const whole: JournalEntry[] = [];
        let end = headerEnd;
        for (const e of before) {
          end = bytes.indexOf(0x0a, end + 1);
          if (end <= cut) whole.push(asWritten(e));
        }
        const got = await read(killed);
        expect(got.entries).toEqual(whole);
        expect(outcomesAfter(got.entries)).toEqual(outcomesAfter(before.slice(0, whole.length)));
        // a torn last line: some bytes after the last newline, and not a whole record (whose newline alone was cut)
        const lastLineStart = bytes.lastIndexOf(0x0a, cut - 1) + 1;
        const torn = cut > lastLineStart && bytes[cut] !== 0x0a;
        expect(got.skipped).toBe(torn ? 1 : 0);

        // --resume appends to the killed file: every new record is read, the torn line is skipped, nothing else
        const resumed = Journal.append(killed);
        for (const e of after) resumed.record(e);
        resumed.close();
        const again = await read(killed);
        expect(again.entries).toEqual([...whole, ...after.map(asWritten)]);
        expect(again.skipped).toBe(got.skipped);
        expect(outcomesAfter(again.entries)).toEqual(outcomesAfter([...before.slice(0, whole.length), ...after]));
      }),
      { seed: SEED, numRuns: 250 },
    );
  });
});
