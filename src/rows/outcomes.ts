import { Interner } from './interner.js';
import { labelIdOf, rowNumberOf, userIdOf, type RowTable } from './table.js';
import { statuses, type Outcome, type Status } from './types.js';

/** What is recorded with a status; every field is optional. */
export interface OutcomeFields {
  http?: number | undefined;
  code?: string | undefined;
  message?: string | undefined;
  attempts?: number | undefined;
  batch?: string | undefined;
  /** Epoch milliseconds. */
  at?: number | undefined;
}

const statusCode = new Map(statuses.map((s, i) => [s, i + 1]));

/** Most attempts a row records (a Uint16Array); more is recorded as this. */
const MAX_ATTEMPTS = 65_535;

/**
 * One outcome per row, kept as columns: a status code, HTTP status, attempts,
 * batch and time per row, and the code and message only as a number into a
 * table of distinct details (50,000 rows removed share one empty detail).
 */
export class OutcomeStore {
  readonly size: number;
  readonly #status: Uint8Array;
  readonly #http: Uint16Array;
  readonly #attempts: Uint16Array;
  readonly #batch: Int32Array;
  readonly #detail: Int32Array;
  readonly #at: Float64Array;
  readonly #verified: Uint8Array;
  readonly batches = new Interner();
  readonly #details: { code: string; message: string }[] = [];
  readonly #detailIndex = new Map<string, number>();

  constructor(size: number) {
    this.size = size;
    this.#status = new Uint8Array(size);
    this.#http = new Uint16Array(size);
    this.#attempts = new Uint16Array(size);
    this.#batch = new Int32Array(size).fill(-1);
    this.#detail = new Int32Array(size).fill(-1);
    this.#at = new Float64Array(size);
    this.#verified = new Uint8Array(size);
  }

  /** The row's status, or undefined while it has none. */
  status(i: number): Status | undefined {
    const c = this.#status[i]!;
    return c === 0 ? undefined : statuses[c - 1];
  }

  set(i: number, status: Status, f: OutcomeFields = {}): void {
    this.setMany([i], status, f);
  }

  /** Gives every row in `rows` the same outcome (one call's rows). */
  setMany(rows: ArrayLike<number>, status: Status, f: OutcomeFields = {}): void {
    const code = statusCode.get(status)!;
    const batch = f.batch === undefined ? -1 : this.batches.intern(f.batch);
    const detail = this.#internDetail(f.code ?? '', f.message ?? '');
    const http = f.http ?? 0;
    // 2 bytes a row: free 429 retries (up to 50 for each part of a split batch) can take a call past 255 attempts.
    const attempts = Math.min(MAX_ATTEMPTS, f.attempts ?? 0);
    const at = f.at ?? 0;
    for (let k = 0; k < rows.length; k += 1) {
      const i = rows[k]!;
      this.#status[i] = code;
      this.#http[i] = http;
      this.#attempts[i] = attempts;
      this.#batch[i] = batch;
      this.#detail[i] = detail;
      this.#at[i] = at;
    }
  }

  /** With --verify: whether a read-back confirmed the row's change ('no' adds why to its message). */
  setVerified(i: number, ok: boolean, why?: string): void {
    this.#verified[i] = ok ? 1 : 2;
    if (why !== undefined) {
      const d = this.detail(i);
      this.#detail[i] = this.#internDetail(d.code, d.message ? `${d.message}; ${why}` : why);
    }
  }

  verified(i: number): 'yes' | 'no' | undefined {
    const v = this.#verified[i];
    return v === 1 ? 'yes' : v === 2 ? 'no' : undefined;
  }

  http(i: number): number {
    return this.#http[i]!;
  }

  attempts(i: number): number {
    return this.#attempts[i]!;
  }

  at(i: number): number {
    return this.#at[i]!;
  }

  batch(i: number): string | undefined {
    const b = this.#batch[i]!;
    return b < 0 ? undefined : this.batches.value(b);
  }

  /** The number of the row's detail in `detailAt` (-1: none); rows sharing a detail share it. */
  detailIndex(i: number): number {
    return this.#detail[i]!;
  }

  detailAt(d: number): { code: string; message: string } {
    return d < 0 ? { code: '', message: '' } : this.#details[d]!;
  }

  detail(i: number): { code: string; message: string } {
    return this.detailAt(this.#detail[i]!);
  }

  counts(): Record<Status, number> {
    const byCode = new Array<number>(statuses.length + 1).fill(0);
    for (let i = 0; i < this.size; i += 1) byCode[this.#status[i]!]! += 1;
    return Object.fromEntries(statuses.map((s, k) => [s, byCode[k + 1]!])) as Record<Status, number>;
  }

  /** Row i as an object, with its IDs from the table. */
  outcome(table: RowTable, i: number): Outcome {
    const d = this.detail(i);
    return {
      row: rowNumberOf(table, i),
      userId: userIdOf(table, i),
      labelId: labelIdOf(table, i),
      status: this.status(i) ?? 'deferred',
      httpStatus: this.#http[i] || undefined,
      errorCode: d.code || undefined,
      message: d.message || undefined,
      attempts: this.#attempts[i]!,
      batchId: this.batch(i),
      finishedAt: this.#at[i]!,
      verified: this.verified(i),
    };
  }

  #internDetail(code: string, message: string): number {
    if (code === '' && message === '') return -1;
    const key = `${code}\u0000${message}`;
    let d = this.#detailIndex.get(key);
    if (d === undefined) {
      d = this.#details.length;
      this.#details.push({ code, message });
      this.#detailIndex.set(key, d);
    }
    return d;
  }
}
