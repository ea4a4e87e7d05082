import type { Refusal } from './evidence.js';
import type { Finished } from './verdict.js';

/**
 * The run's extra write calls for isolating refused IDs (its size:
 * splitBudgetFor): bisection's halves and probes, and any second resend of a
 * planned batch's rows. Shared by the splits that learn and the resends.
 */
export class SplitBudget {
  readonly total: number;
  #used = 0;

  constructor(total: number) {
    this.total = total;
  }

  /** Calls taken so far. */
  get used(): number {
    return this.#used;
  }

  /** Takes `calls` from the budget; false, taking none, when they would overspend it. */
  take(calls: number): boolean {
    if (this.#used + calls > this.total) return false;
    this.#used += calls;
    return true;
  }

  /** Rows that fail because the budget is spent: `what` was not done for them. */
  spent(rows: number[], refusal: Refusal, what: string): Finished {
    const message = `${refusal.message}; ${what}: this run's budget for isolating refused IDs (${this.total} extra calls) is spent; --resume tries again`;
    return { rows, status: 'failed', http: refusal.http ?? 0, code: refusal.code, message };
  }
}
