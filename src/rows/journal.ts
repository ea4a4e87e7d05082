import { closeSync, fdatasync, fdatasyncSync, openSync, readSync, fstatSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors/InputError.js';
import { tempPathFor } from '../files/atomic.js';
import type { OutcomeFields } from './outcomes.js';
import { statuses, type Status } from './types.js';

export interface JournalHeader {
  type: 'header';
  version: 2;
  command: string;
  input: string;
  sha256: string;
  rows: number;
  startedAt: string;
}

/** One line of the journal: rows (indexes into the input) that one call finished the same way. */
export interface JournalEntry extends OutcomeFields {
  rows: number[];
  status: Status;
}

/**
 * The durable record of a run: one JSON line per finished call, written the
 * moment the call's answer is understood, so a `kill -9` at any instant loses
 * only the calls in flight (the kernel has every line written before it).
 * Against a power cut, fdatasync runs in the background, one after another,
 * each covering every line written before it started.
 */
export class Journal {
  readonly path: string;
  #fd: number | undefined;
  #syncing = false;
  #dirty = false;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /**
   * Starts a new journal with its header. It is written under a temporary
   * name, flushed, then renamed into place: a kill can never leave an empty
   * or headless journal where `--resume` would look.
   */
  static create(path: string, header: Omit<JournalHeader, 'type' | 'version'>): Journal {
    const temp = tempPathFor(path);
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, `${JSON.stringify({ type: 'header', version: 2, ...header })}\n`);
      fdatasyncSync(fd);
      renameSync(temp, path);
    } catch (error) {
      closeSync(fd);
      rmSync(temp, { force: true });
      throw error;
    }
    return new Journal(path, fd);
  }

  /** Appends to an existing journal (a resumed run). */
  static append(path: string): Journal {
    const fd = openSync(path, 'a+');
    const j = new Journal(path, fd);
    // A torn last line from a killed run must not swallow the next record.
    if (!endsWithNewline(fd)) j.#write('\n');
    return j;
  }

  record(entry: JournalEntry): void {
    if (entry.rows.length > 0) this.#write(`${JSON.stringify(entry)}\n`);
  }

  #write(text: string): void {
    if (this.#fd === undefined) throw new Error('journal is closed');
    writeSync(this.#fd, text);
    this.#flushSoon();
  }

  #flushSoon(): void {
    if (this.#syncing) {
      this.#dirty = true;
      return;
    }
    const fd = this.#fd;
    if (fd === undefined) return;
    this.#syncing = true;
    this.#dirty = false;
    fdatasync(fd, () => {
      this.#syncing = false;
      if (this.#dirty) this.#flushSoon();
    });
  }

  /** Flushes what is left and closes. */
  close(): void {
    if (this.#fd === undefined) return;
    fdatasyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}

function endsWithNewline(fd: number): boolean {
  const { size } = fstatSync(fd);
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

const isEntry = (v: unknown): v is JournalEntry => {
  const e = v as Partial<JournalEntry> | null;
  return !!e && Array.isArray(e.rows) && e.rows.every((r) => Number.isInteger(r) && r >= 0) && statuses.includes(e.status as Status);
};

/** Reads a journal: its header, then each entry in order (later entries win). Torn or blank lines are skipped and counted. */
export async function readJournal(path: string, onEntry: (entry: JournalEntry) => void): Promise<{ header: JournalHeader; skipped: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, undefined, `cannot read the journal (${code ?? String(error)})`, { cause: error });
  }
  let header: JournalHeader | undefined;
  let skipped = 0;
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped += 1; // a line torn by a kill in the middle of a write
      continue;
    }
    if (header === undefined) {
      const h = value as Partial<JournalHeader>;
      if (h.type !== 'header') throw new InputError(path, 1, 'not a zdlabels journal (no header line)');
      if (h.version !== 2) throw new InputError(path, 1, `written by another version of zdlabels (journal version ${String(h.version)}); run without --resume`);
      header = h as JournalHeader;
    } else if (isEntry(value)) onEntry(value);
    else skipped += 1;
  }
  if (!header) throw new InputError(path, 1, 'not a zdlabels journal (no header line)');
  return { header, skipped };
}
