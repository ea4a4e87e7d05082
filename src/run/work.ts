import type { Batch } from '../plan/plan.js';

/** A group of works whose settling someone awaits (the first-write guard awaits its batch and every part of it). */
export interface Family {
  live: number;
  /** Rows of the family that ended removed (or added). */
  changed: number;
  settled: (changed: number) => void;
}

/** One batch on its way: a planned batch, or a part of one after a split. */
export interface Work {
  batch: Batch;
  /** Calls made with these rows so far (a part inherits its parent's). */
  attempts: number;
  /** Retries spent on passing failures (429 TOO_MANY_REQUESTS costs none). */
  retries: number;
  /** Free retries after 429 TOO_MANY_REQUESTS, bounded so a stuck org cannot hold a run forever. */
  tooMany: number;
  /** What the last attempt came to, in words (for a row the run stops before finishing), and its status and code. */
  last?: string | undefined;
  lastHttp?: number | undefined;
  lastCode?: string | undefined;
  /** An attempt got no answer (or a 5xx): Zoho may have applied it. */
  mayHaveApplied?: boolean | undefined;
  /** By user: send `labelIds` in the query (Zoho's spec puts them in the body). */
  query?: boolean | undefined;
  /** The path's label or user was read and exists: a 404 is about the body. */
  pathExists?: boolean | undefined;
  /**
   * Shared by a planned batch and every part of it: the times its rows were
   * sent again after a refusal that named some or was settled by reads (the
   * first is free; later ones come from the run's split budget).
   */
  lineage: { resends: number };
  /** Its rows were read held after a refusal: refused again, it is not settled by reading again. */
  readHeld?: boolean | undefined;
  /** This work is one half of the split that is learning what a refusal signature means. */
  learning?: string | undefined;
  family?: Family | undefined;
  /** Settled: its rows are finished, or it was replaced by its parts. */
  done?: boolean | undefined;
}

export const newWork = (batch: Batch, family?: Family): Work => ({ batch, attempts: 0, retries: 0, tooMany: 0, lineage: { resends: 0 }, family });

/** A part of `parent` (after a split): it inherits the attempts made so far and the family. */
export const partOf = (parent: Work, batch: Batch): Work => ({
  batch,
  attempts: parent.attempts,
  retries: parent.retries,
  tooMany: 0,
  last: parent.last,
  lastHttp: parent.lastHttp,
  lastCode: parent.lastCode,
  mayHaveApplied: parent.mayHaveApplied,
  query: parent.query,
  pathExists: parent.pathExists,
  lineage: parent.lineage,
  readHeld: parent.readHeld,
  family: parent.family,
});
