import type { Refusal } from './evidence.js';

/** Systematic refusals in a row that stop the run. */
const SYSTEMATIC_STOP = 3;

/**
 * Counts refusals that are about the request, not the IDs, in a row: any
 * accepted call resets it; the third in a row trips it, with the one line a
 * user needs: what every call was refused with, and what to check.
 */
export class SystematicBreaker {
  #run = 0;

  reset(): void {
    this.#run = 0;
  }

  /** Counts one; returns the stop message when it trips. */
  count(refusal: Refusal): string | undefined {
    this.#run += 1;
    if (this.#run < SYSTEMATIC_STOP) return undefined;
    const what = `HTTP ${refusal.http ?? '-'}${refusal.code ? ` ${refusal.code}` : ''}${refusal.message ? ` "${refusal.message}"` : ''}`;
    return `${this.#run} calls in a row were refused the same way (${what}), so the refusal is about the request, not the IDs; nothing more was sent. Check ZOHO_ORG_ID and --help-center-id; \`zdlabels doctor --probe\` shows how this organization answers each call`;
  }
}
