import { ZdlabelsError } from './ZdlabelsError.js';

/** A call was not sent because it would break the run's credit limits (--reserve-credits, --max-calls): exit 6. */
export class BudgetError extends ZdlabelsError {
  readonly limit: 'reserve-credits' | 'max-calls';
  constructor(limit: 'reserve-credits' | 'max-calls', message: string) {
    super('CREDITS_EXHAUSTED', message);
    this.name = 'BudgetError';
    this.limit = limit;
  }
}
