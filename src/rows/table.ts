import { IntColumn, Interner } from './interner.js';

/**
 * The input rows as columns: row i names user `users.value(user[i])` and label
 * `labels.value(label[i])` (trimmed cell text, valid or not), and ends on line
 * `line[i]` of its file. A million rows take about 12 MB here.
 */
export interface RowTable {
  readonly size: number;
  readonly users: Interner;
  readonly labels: Interner;
  readonly user: Int32Array;
  readonly label: Int32Array;
  readonly line: Int32Array;
  /** The row number shown for row i; absent: i + 1 (restore shows its source file's numbers). */
  readonly rowNumber?: Int32Array | undefined;
}

export const rowNumberOf = (t: RowTable, i: number): number => (t.rowNumber ? t.rowNumber[i]! : i + 1);
export const userIdOf = (t: RowTable, i: number): string => t.users.value(t.user[i]!);
export const labelIdOf = (t: RowTable, i: number): string => t.labels.value(t.label[i]!);

/** Builds a RowTable one row at a time. */
export class RowTableBuilder {
  readonly users = new Interner();
  readonly labels = new Interner();
  readonly #user = new IntColumn();
  readonly #label = new IntColumn();
  readonly #line = new IntColumn();
  #rowNumber: IntColumn | undefined;

  /** Appends a row; returns its index. */
  add(userId: string, labelId: string, line: number, rowNumber?: number): number {
    return this.addInterned(this.users.intern(userId), this.labels.intern(labelId), line, rowNumber);
  }

  /** Appends a row whose IDs are already interned (in `users` and `labels`). */
  addInterned(user: number, label: number, line: number, rowNumber?: number): number {
    const i = this.#user.length;
    this.#user.push(user);
    this.#label.push(label);
    this.#line.push(line);
    if (rowNumber !== undefined) {
      if (!this.#rowNumber) {
        this.#rowNumber = new IntColumn();
        for (let k = 0; k < i; k += 1) this.#rowNumber.push(k + 1);
      }
      this.#rowNumber.push(rowNumber);
    } else this.#rowNumber?.push(i + 1);
    return i;
  }

  get size(): number {
    return this.#user.length;
  }

  finish(): RowTable {
    return {
      size: this.#user.length,
      users: this.users,
      labels: this.labels,
      user: this.#user.finish(),
      label: this.#label.finish(),
      line: this.#line.finish(),
      rowNumber: this.#rowNumber?.finish(),
    };
  }
}
