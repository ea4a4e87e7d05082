import { BudgetError } from '../errors/BudgetError.js';

export interface CreditLimits {
  /** Stop before the org's remaining credits would fall below this (others need them). */
  reserveCredits?: number | undefined;
  /** Most API calls this run may make. */
  maxCalls?: number | undefined;
}

/** What the meter reads off one answer: its status and headers; undefined when no answer came. */
export interface Answered {
  status: number;
  headers: Headers;
}

const REMAINING = 'x-rate-limit-remaining-v3';
const WEIGHT = 'x-rate-limit-request-weight-v3';

const header = (headers: Headers, name: string): number | undefined => {
  const value = Number(headers.get(name) ?? NaN);
  return Number.isFinite(value) ? value : undefined;
};

/**
 * Counts what a run spends and admits each call only within its limits. Zoho
 * reports the org's remaining credits (`X-Rate-Limit-Remaining-v3`) and each
 * call's cost (`X-Rate-Limit-Request-Weight-v3`) on its answers, by a
 * third-party account only: they may be missing. With --reserve-credits, the
 * first accepted answer decides: until one comes, calls go one at a time (so
 * the reserve is at risk by one call's weight at most); if it carries no
 * remaining credits, the reserve cannot be kept and no more calls are
 * admitted. An answer without the header after one with it counts its
 * weight off the last figure reported. Without limits, missing headers only
 * leave the remaining credits unknown.
 */
export class CreditMeter {
  readonly limits: CreditLimits;
  /** Calls sent (or in flight). */
  calls = 0;
  /** Credits the answers said they cost (or the table's weight when they did not say). */
  spent = 0;
  /** The org's remaining credits as last reported. */
  remaining: number | undefined;
  /** Whether Zoho's answers report the remaining credits: undefined until an accepted answer (2xx) says, or one with the header comes. */
  reported: boolean | undefined;
  /** Answers that did not say what they weighed: `spent` has the table's weight for them. */
  unweighed = 0;
  #inflight = 0;
  #inflightWeight = 0;
  /** Credits spent since the last reported figure, by answers that did not report one. */
  #sinceReport = 0;
  #waiting: (() => void)[] = [];

  constructor(limits: CreditLimits = {}) {
    this.limits = limits;
  }

  /**
   * Admits a call of `weight` credits, or rejects with BudgetError (the call is
   * not sent). Resolves to a function to call with its answer.
   */
  async admit(weight: number): Promise<(answer: Answered | undefined) => void> {
    const { maxCalls, reserveCredits } = this.limits;
    if (maxCalls !== undefined && this.calls + 1 > maxCalls) {
      throw new BudgetError('max-calls', `stopped after ${maxCalls} call${maxCalls === 1 ? '' : 's'}: --max-calls ${maxCalls} is this run's cap`);
    }
    if (reserveCredits !== undefined) {
      // Before the first answer decides whether credits are reported, one call at a time.
      while (this.reported === undefined && this.#inflight > 0) await new Promise<void>((wake) => this.#waiting.push(wake));
      this.#checkReserve(reserveCredits, weight);
    }
    this.calls += 1;
    this.#inflight += 1;
    this.#inflightWeight += weight;
    let settled = false;
    return (answer) => {
      if (settled) return;
      settled = true;
      this.#inflight -= 1;
      this.#inflightWeight -= weight;
      if (answer) this.#read(answer, weight);
      for (const wake of this.#waiting.splice(0)) wake();
    };
  }

  #checkReserve(reserveCredits: number, weight: number): void {
    if (this.reported === false) {
      throw new BudgetError(
        'reserve-credits',
        `stopped sending: Zoho did not report the organization's remaining API credits (its answers carry no X-Rate-Limit-Remaining-v3 header), so --reserve-credits ${reserveCredits} cannot be kept; to cap this run, use --max-calls N instead (it counts this run's calls itself)`,
      );
    }
    if (this.remaining === undefined) return;
    const left = this.remaining - this.#sinceReport;
    if (left - this.#inflightWeight - weight < reserveCredits) {
      throw new BudgetError(
        'reserve-credits',
        `stopped before the organization's remaining API credits (${left}) would fall below --reserve-credits ${reserveCredits}`,
      );
    }
  }

  #read({ status, headers }: Answered, weight: number): void {
    const reportedWeight = header(headers, WEIGHT);
    if (reportedWeight === undefined) this.unweighed += 1;
    const cost = reportedWeight ?? weight;
    this.spent += cost;
    const left = header(headers, REMAINING);
    if (left !== undefined) {
      this.remaining = left;
      this.reported = true;
      this.#sinceReport = 0;
    } else if (this.remaining !== undefined) this.#sinceReport += cost;
    else if (status >= 200 && status < 300) this.reported = false;
  }
}
