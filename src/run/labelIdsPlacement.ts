import type { ZohoApiError } from '../errors/ZohoApiError.js';
import type { Work } from './work.js';

/** A work refused before where `labelIds` go was known, with its refusal (to judge again). */
interface Held {
  work: Work;
  error: ZohoApiError;
}

/** What settling where `labelIds` go needs of the run. */
export interface PlacementHost {
  /** Sends a work again (a continuation). */
  send: (work: Work) => void;
  /** Judges a work's refusal again (in the background). */
  judge: (work: Work, error: ZohoApiError) => void;
  /** Where `labelIds` go, once settled. */
  placed: (placement: 'body' | 'query') => void;
}

/**
 * Where by-user calls put `labelIds`. Zoho's spec puts them in the JSON
 * body; a mirror of its Postman collection puts them in the query. Until a
 * by-user call is accepted, the first refusal that could mean "labelIds
 * missing" sends that call again with them in the query (the trial), and the
 * others refused meanwhile wait. The first accepted call settles it for the run.
 */
export class LabelIdsPlacement {
  readonly #host: PlacementHost;
  #in: 'body' | 'query' = 'body';
  #settled = false;
  #trial: Held | undefined;
  #waiting: Held[] = [];
  /** Whether a by-user call was ever answered (the placement is reported only then). */
  #answered = false;

  constructor(host: PlacementHost) {
    this.#host = host;
  }

  get inQuery(): boolean {
    return this.#settled && this.#in === 'query';
  }

  get placement(): 'body' | 'query' | undefined {
    return this.#answered ? this.#in : undefined;
  }

  /** By user, a refusal that may be about where `labelIds` go. Returns whether it took the work. */
  tryQuery(work: Work, error: ZohoApiError): boolean {
    if (work.batch.by !== 'user') return false;
    const next = this.#refused({ work, error });
    if (next.do === 'none') return false;
    if (next.do === 'trial') this.#host.send(work);
    if (next.do === 'judge') {
      this.#placed(work, false);
      this.#host.judge(work, next.error);
    }
    return true;
  }

  /** A by-user call was answered: that settles where `labelIds` go. */
  accepted(work: Work): void {
    this.#answered = true;
    this.#placed(work, true);
  }

  /** Everything waiting, removed (the run is stopping). */
  drain(): Work[] {
    const works = this.#waiting.map((h) => h.work);
    this.#waiting = [];
    return works;
  }

  /**
   * A by-user refusal that may be about `labelIds`. Returns what to do:
   * `trial` (send it again in the query), `wait`, `judge` (the trial was
   * refused too: judge the body's refusal, which stands), or `none` (settled).
   */
  #refused(held: Held): { do: 'trial' } | { do: 'wait' } | { do: 'judge'; error: ZohoApiError } | { do: 'none' } {
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

  /** A by-user answer settles where `labelIds` go; works that waited are sent again (query) or judged (body). */
  #placed(work: Work, accepted: boolean): void {
    const settled = this.#settle(work, accepted);
    if (!settled) return;
    this.#host.placed(settled.in);
    for (const held of settled.waited) {
      if (settled.in === 'query') {
        held.work.query = true;
        this.#host.send(held.work);
      } else this.#host.judge(held.work, held.error);
    }
  }

  /** A by-user answer (`accepted`, or the trial refused) settles the placement; returns the works that waited, and where. */
  #settle(work: Work, accepted: boolean): { in: 'body' | 'query'; waited: Held[] } | undefined {
    if (this.#settled) return undefined;
    this.#settled = true;
    this.#in = accepted && work.query === true ? 'query' : 'body';
    if (!accepted) work.query = false;
    const waited = this.#waiting;
    this.#waiting = [];
    this.#trial = undefined;
    return { in: this.#in, waited };
  }
}
