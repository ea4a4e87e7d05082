import type { ZohoApiError } from '../errors/ZohoApiError.js';
import type { Work } from './work.js';

/** A work refused before where `labelIds` go was known, with its refusal (to judge again). */
export interface Held {
  work: Work;
  error: ZohoApiError;
}

/**
 * Where by-user calls put `labelIds`. Zoho's spec puts them in the JSON
 * body; a mirror of its Postman collection puts them in the query. Until a
 * by-user call is accepted, the first refusal that could mean "labelIds
 * missing" sends that call again with them in the query (the trial), and the
 * others refused meanwhile wait. The first accepted call settles it for the run.
 */
export class LabelIdsPlacement {
  #in: 'body' | 'query' = 'body';
  #settled = false;
  #trial: Held | undefined;
  #waiting: Held[] = [];
  /** Whether a by-user call was ever answered (the placement is reported only then). */
  answered = false;

  get inQuery(): boolean {
    return this.#settled && this.#in === 'query';
  }

  get placement(): 'body' | 'query' | undefined {
    return this.answered ? this.#in : undefined;
  }

  /**
   * A by-user refusal that may be about `labelIds`. Returns what to do:
   * `trial` (send it again in the query), `wait`, `judge` (the trial was
   * refused too: judge the body's refusal, which stands), or `none` (settled).
   */
  refused(held: Held): { do: 'trial' } | { do: 'wait' } | { do: 'judge'; error: ZohoApiError } | { do: 'none' } {
    if (this.#settled) return { do: 'none' };
    if (this.#trial?.work === held.work && held.work.query) return { do: 'judge', error: this.#trial.error };
    if (this.#trial) {
      this.#waiting.push(held);
      return { do: 'wait' };
    }
    this.#trial = held;
    held.work.query = true;
    return { do: 'trial' };
  }

  /** A by-user answer (`accepted`, or the trial refused) settles the placement; returns the works that waited, and where. */
  settle(work: Work, accepted: boolean): { in: 'body' | 'query'; waited: Held[] } | undefined {
    if (this.#settled) return undefined;
    this.#settled = true;
    this.#in = accepted && work.query === true ? 'query' : 'body';
    if (!accepted) work.query = false;
    const waited = this.#waiting;
    this.#waiting = [];
    this.#trial = undefined;
    return { in: this.#in, waited };
  }

  /** Everything waiting, removed (the run is stopping). */
  drain(): Work[] {
    const works = this.#waiting.map((h) => h.work);
    this.#waiting = [];
    return works;
  }
}
