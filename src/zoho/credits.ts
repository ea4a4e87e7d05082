import { BudgetError } from '../errors/BudgetError.js';

export interface CreditLimits {
  /** Stop before the org's remaining credits would fall below this (others need them). */
  reserveCredits?: number | undefined;
  /** Most API calls this run may make. */
  maxCalls?: number | undefined;
}

/**
 * Counts what a run spends and admits each call only within its limits. Zoho
 * reports the org's remaining credits (`X-Rate-Limit-Remaining-v3`) and each
 * call's cost (`X-Rate-Limit-Request-Weight-v3`) on its answers; before the
 * first answer the remaining credits are unknown, so only --max-calls applies.
 */
export class CreditMeter {
  readonly limits: CreditLimits;
  /** Calls sent (or in flight). */
  calls = 0;
  /** Credits the answers said they cost (or the table's weight when they did not say). */
  spent = 0;
  /** The org's remaining credits as last reported, and when. */
  remaining: number | undefined;
  #inflightWeight = 0;

  constructor(limits: CreditLimits = {}) {
    this.limits = limits;
  }

  /** Admits a call of `weight` credits, or throws BudgetError (the call is not sent). Returns a function to call with its answer's headers. */
  admit(weight: number): (headers: Headers | undefined) => void {
    const { maxCalls, reserveCredits } = this.limits;
    if (maxCalls !== undefined && this.calls + 1 > maxCalls) {
      throw new BudgetError('max-calls', `stopped after ${maxCalls} call${maxCalls === 1 ? '' : 's'}: --max-calls ${maxCalls} is this run's cap`);
    }
    if (reserveCredits !== undefined && this.remaining !== undefined && this.remaining - this.#inflightWeight - weight < reserveCredits) {
      throw new BudgetError(
        'reserve-credits',
        `stopped before the organization's remaining API credits (${this.remaining}) would fall below --reserve-credits ${reserveCredits}`,
      );
    }
    this.calls += 1;
    this.#inflightWeight += weight;
    let settled = false;
    return (headers) => {
      if (settled) return;
      settled = true;
      this.#inflightWeight -= weight;
      const reported = Number(headers?.get('x-rate-limit-request-weight-v3') ?? NaN);
      this.spent += Number.isFinite(reported) ? reported : headers ? weight : 0;
      const left = Number(headers?.get('x-rate-limit-remaining-v3') ?? NaN);
      if (Number.isFinite(left)) this.remaining = left;
    };
  }
}
