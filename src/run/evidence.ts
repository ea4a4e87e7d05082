import { ZohoApiError } from '../errors/ZohoApiError.js';
import { labelIdOf, userIdOf, type RowTable } from '../rows/table.js';
import type { Status } from '../rows/types.js';
import type { Finished } from './verdict.js';
import type { ZohoClient } from '../zoho/client.js';
import { listAll } from '../zoho/pager.js';
import { retryRead } from './retry.js';

/** What Zoho said when it refused one pair. */
export interface Refusal {
  http: number | undefined;
  code: string | undefined;
  message: string;
}

/**
 * The outcome reads prove for a refused pair. `aboutIds`: true when reads
 * showed the refusal was about these IDs (one missing, or not held); false
 * when they showed it was not (both exist, and the pair is as the call
 * needed); undefined when nothing was shown (no read was made, or it failed).
 */
export interface Explanation {
  status: Extract<Status, 'not_found' | 'not_member' | 'failed' | 'added'>;
  message: string;
  aboutIds: boolean | undefined;
}

const said = (r: Refusal): string => `Zoho answered ${r.http ?? 'no answer'}${r.code ? ` ${r.code}` : ''}${r.message ? ` "${r.message}"` : ''}`;

/**
 * Explains a refused pair by reading: does the label exist, does the user,
 * does the user hold the label? A row earns `not_found` or `not_member` only
 * from such a read, never from the shape of an unclear answer. Existence is
 * read once per label and user; membership is read fresh (the run changes it).
 */
export class Evidence {
  readonly #client: ZohoClient;
  readonly #action: 'remove' | 'add';
  readonly #helpCenterId: string | undefined;
  readonly #labels = new Map<string, Promise<boolean>>();
  readonly #users = new Map<string, Promise<boolean>>();
  readonly #maxReads: number;
  reads = 0;

  constructor(client: ZohoClient, options: { action: 'remove' | 'add'; helpCenterId?: string | undefined; maxReads: number }) {
    this.#client = client;
    this.#action = options.action;
    this.#helpCenterId = options.helpCenterId;
    this.#maxReads = options.maxReads;
  }

  /** Whether the label exists (one read per label per run). */
  labelExists(labelId: string): Promise<boolean> {
    return this.#cached(this.#labels, labelId, () => this.#client.call('getLabel', { path: { labelId } }));
  }

  /** Whether the user exists (one read per user per run). */
  userExists(userId: string): Promise<boolean> {
    return this.#cached(this.#users, userId, () => this.#client.call('getUser', { path: { userId }, query: {} }));
  }

  async explain(userId: string, labelId: string, refusal: Refusal): Promise<Explanation> {
    if (this.reads >= this.#maxReads) {
      return { status: 'failed', message: `${said(refusal)}; not explained: this run's reads for explaining refusals (${this.#maxReads}) are spent; --resume continues (each run has a new budget)`, aboutIds: undefined };
    }
    try {
      if (!(await this.labelExists(labelId))) return { status: 'not_found', message: `label ${labelId} does not exist in this organization (${said(refusal)})`, aboutIds: true };
      if (!(await this.userExists(userId))) return { status: 'not_found', message: `user ${userId} does not exist in this organization (${said(refusal)})`, aboutIds: true };
      const holds = await this.#holds(userId, labelId);
      if (this.#action === 'remove' && !holds) return { status: 'not_member', message: `user ${userId} does not hold label ${labelId}: nothing to remove (${said(refusal)})`, aboutIds: true };
      if (this.#action === 'add' && holds) return { status: 'added', message: `user ${userId} already holds label ${labelId} (${said(refusal)})`, aboutIds: true };
      return {
        status: 'failed',
        message: `${said(refusal)}; yet the label and the user exist and the user ${holds ? 'holds' : 'does not hold'} the label, so the refusal is not about these IDs; --resume sends it again`,
        aboutIds: false,
      };
    } catch (error) {
      if (error instanceof ZohoApiError && (error.kind === 'auth' || error.kind === 'credits')) throw error;
      const why = error instanceof Error ? error.message : String(error);
      return { status: 'failed', message: `${said(refusal)}; could not read why (${why}); --resume sends it again`, aboutIds: undefined };
    }
  }

  async #holds(userId: string, labelId: string): Promise<boolean> {
    this.reads += 1;
    const query = this.#helpCenterId === undefined ? {} : { helpCenterId: this.#helpCenterId };
    const labels = await listAll(this.#client, 'listUserLabels', { path: { userId }, query }, retryRead);
    return labels.some((l) => l.id === labelId);
  }

  #cached(cache: Map<string, Promise<boolean>>, id: string, read: () => Promise<unknown>): Promise<boolean> {
    let known = cache.get(id);
    if (!known) {
      this.reads += 1;
      known = retryRead(read).then(
        () => true,
        (error: unknown) => {
          if (error instanceof ZohoApiError && error.status === 404) return false;
          cache.delete(id); // not known: ask again next time
          throw error;
        },
      );
      cache.set(id, known);
    }
    return known;
  }
}

/**
 * Explains refused rows one by one with reads; rows explained alike are
 * finished together. `aboutIds`: true if some refusal was shown to be about
 * its IDs, else false if some was shown not to be, else undefined (nothing
 * was shown: reads not made, or failed). When the run has stopped, nothing
 * is read: the rows fail, resumable.
 */
export async function explainRows(evidence: Evidence, table: RowTable, rows: readonly number[], refusal: Refusal, stopped: () => boolean): Promise<{ finished: Finished[]; aboutIds: boolean | undefined }> {
  const groups = new Map<string, Finished>();
  let aboutIds: boolean | undefined;
  for (const row of rows) {
    const e: Explanation = stopped()
      ? { status: 'failed', message: `Zoho refused it (HTTP ${refusal.http ?? '-'} ${refusal.code ?? ''}); not explained: the run stopped; --resume sends it again`, aboutIds: undefined }
      : await evidence.explain(userIdOf(table, row), labelIdOf(table, row), refusal);
    if (e.aboutIds !== undefined) aboutIds = aboutIds === true || e.aboutIds;
    const key = `${e.status}|${e.message}`;
    const group = groups.get(key) ?? { rows: [], status: e.status, http: refusal.http ?? 0, code: refusal.code, message: e.message };
    group.rows.push(row);
    groups.set(key, group);
  }
  return { finished: [...groups.values()], aboutIds };
}
