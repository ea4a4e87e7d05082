import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors/InputError.js';
import { statuses, type Outcome, type Status } from './types.js';

export interface JournalHeader {
  type: 'header';
  version: 1;
  input: string;
  sha256: string;
  rows: number;
  startedAt: string;
}

/**
 * The durable record of a run: one JSON line per finished row, appended and
 * flushed to disk (fdatasync) as each batch finishes, so `kill -9` at any
 * instant loses at most the batches still in flight, which a resume sends again.
 */
export class Journal {
  readonly path: string;
  #fd: number | undefined;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /** Starts a new journal (replacing any old one) with its header. */
  static create(path: string, header: Omit<JournalHeader, 'type' | 'version'>): Journal {
    const j = new Journal(path, openSync(path, 'w'));
    j.#write([{ type: 'header', version: 1, ...header }]);
    return j;
  }

  /** Appends to an existing journal (a resumed run). */
  static append(path: string): Journal {
    const j = new Journal(path, openSync(path, 'a'));
    // A torn last line from a killed run must not swallow the next record.
    j.#write([], true);
    return j;
  }

  record(outcomes: readonly Outcome[]): void {
    if (outcomes.length > 0) this.#write(outcomes);
  }

  #write(items: readonly object[], newlineOnly = false): void {
    if (this.#fd === undefined) throw new Error('journal is closed');
    const text = newlineOnly ? '\n' : items.map((i) => JSON.stringify(i)).join('\n') + '\n';
    writeSync(this.#fd, text);
    fdatasyncSync(this.#fd);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

const isOutcome = (v: unknown): v is Outcome => {
  const o = v as Partial<Outcome> | null;
  return !!o && typeof o.row === 'number' && typeof o.userId === 'string' && typeof o.labelId === 'string' && statuses.includes(o.status as Status);
};

/** Reads a journal: its header and the last outcome of each row. Torn or blank lines are skipped. */
export async function readJournal(path: string): Promise<{ header: JournalHeader; outcomes: Map<number, Outcome>; skipped: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, undefined, code === 'ENOENT' ? 'no journal to resume from: run once without --resume' : `cannot read the journal (${code ?? String(error)})`);
  }
  const lines = text.split('\n');
  let header: JournalHeader | undefined;
  const outcomes = new Map<number, Outcome>();
  let skipped = 0;
  lines.forEach((line) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped += 1; // a line torn by a kill in the middle of a write
      return;
    }
    if ((value as JournalHeader).type === 'header' && header === undefined) header = value as JournalHeader;
    else if (isOutcome(value)) outcomes.set(value.row, value);
    else skipped += 1;
  });
  if (!header) throw new InputError(path, 1, 'not a zdlabels journal (no header line)');
  return { header, outcomes, skipped };
}
