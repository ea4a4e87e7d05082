import { IntColumn, Interner } from './interner.js';

/**
 * A column of text kept for each row (what the row said: an email, a label
 * name), shown again in the results. Distinct values are kept once; row i
 * holds `values.value(at[i])`, or nothing when `at[i]` is -1.
 */
export interface TextColumn {
  /** The results file's header for it. */
  readonly name: string;
  readonly values: Interner;
  readonly at: Int32Array;
}

export const textOf = (c: TextColumn, i: number): string => {
  const k = c.at[i]!;
  return k < 0 ? '' : c.values.value(k);
};

/** Builds a TextColumn one row at a time; an empty cell holds nothing. */
export class TextColumnBuilder {
  readonly #name: string;
  readonly #values = new Interner();
  readonly #at = new IntColumn();

  constructor(name: string) {
    this.#name = name;
  }

  add(text: string): void {
    this.#at.push(text === '' ? -1 : this.#values.intern(text));
  }

  finish(): TextColumn {
    return { name: this.#name, values: this.#values, at: this.#at.finish() };
  }
}
