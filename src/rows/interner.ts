/**
 * Gives each distinct string one small integer, so a million rows hold two
 * numbers each instead of two strings: 50,000 users and 200 labels are kept
 * once, however many rows name them.
 */
export class Interner {
  readonly #index = new Map<string, number>();
  readonly #values: string[] = [];

  /** The number of `value`, giving it the next one the first time it is seen. */
  intern(value: string): number {
    let i = this.#index.get(value);
    if (i === undefined) {
      i = this.#values.length;
      this.#index.set(value, i);
      this.#values.push(value);
    }
    return i;
  }

  /** The number of `value` if it was seen, else -1. */
  find(value: string): number {
    return this.#index.get(value) ?? -1;
  }

  value(i: number): string {
    const v = this.#values[i];
    if (v === undefined) throw new RangeError(`no interned value ${i}`);
    return v;
  }

  get size(): number {
    return this.#values.length;
  }
}

/** An Int32Array that grows as it is appended to (capacity doubles). */
export class IntColumn {
  #data: Int32Array;
  #length = 0;

  constructor(capacity = 1024) {
    this.#data = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const bigger = new Int32Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#length++] = value;
  }

  get length(): number {
    return this.#length;
  }

  /** The values, trimmed to their length (a copy, so the spare capacity is freed). */
  finish(): Int32Array {
    return this.#data.slice(0, this.#length);
  }
}
