import { ZohoApiError } from '../errors/ZohoApiError.js';
import { labelIdOf, userIdOf, type RowTable } from '../rows/table.js';
import type { Status } from '../rows/types.js';
import type { Finished } from './verdict.js';
import type { ZohoClient } from '../zoho/client.js';
import type { Label } from '../zoho/types.js';
import { MAX_PAGE, listAll } from '../zoho/pager.js';
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

/** An ID's membership as read: the IDs on the other side it holds, or undefined when no read was made. */
export type Held = (row: number) => boolean | undefined;

/**
 * Explains refused pairs by reading: does the label exist, does the user,
 * does the user hold the label? A row earns `not_found` or `not_member` only
 * from such a read, never from the shape of an unclear answer.
 *
 * What it costs (credits): existence is read once per label and user per run
 * (`getLabel`, `getUser`: 1 credit each, so at most the plan's distinct IDs).
 * Membership is read fresh (the run changes it), as pages of a user's labels
 * or of a label's member list (3 credits a page of 50): at most
 * `membershipPages` pages per run; past that a row ends failed, saying so,
 * and --resume continues with a new budget. A label's member list is read at
 * most once per run, and only when its pages are no more than the rows it is
 * to explain (see `members`).
 */
export class Evidence {
  readonly #client: ZohoClient;
  readonly #action: 'remove' | 'add';
  readonly #helpCenterId: string | undefined;
  readonly #labels = new Map<string, Promise<Label | undefined>>();
  readonly #users = new Map<string, Promise<boolean>>();
  readonly #members = new Map<string, Promise<ReadonlySet<string>>>();
  readonly #membersRead = new Map<string, ReadonlySet<string>>();
  readonly #maxPages: number;
  #pages = 0;
  /** Every read made to explain refusals (existence and membership pages). */
  reads = 0;

  constructor(client: ZohoClient, options: { action: 'remove' | 'add'; helpCenterId?: string | undefined; membershipPages: number }) {
    this.#client = client;
    this.#action = options.action;
    this.#helpCenterId = options.helpCenterId;
    this.#maxPages = options.membershipPages;
  }

  /** Whether the label exists (one read per label per run). */
  async labelExists(labelId: string): Promise<boolean> {
    return (await this.#label(labelId)) !== undefined;
  }

  /** Whether the user exists (one read per user per run). */
  userExists(userId: string): Promise<boolean> {
    let known = this.#users.get(userId);
    if (!known) {
      known = this.#exists(() => this.#client.call('getUser', { path: { userId }, query: {} })).then((user) => user !== undefined);
      this.#users.set(userId, known);
      known.catch(() => this.#users.delete(userId)); // not known: ask again next time
    }
    return known;
  }

  /** Zoho answered a call on this user's own path (a by-user removal): the user exists, no read needed. */
  userAnswered(userId: string): void {
    if (!this.#users.has(userId)) this.#users.set(userId, Promise.resolve(true));
  }

  /** The message of a row left unexplained because the membership budget is spent. */
  #spent(refusal: Refusal): string {
    return `${said(refusal)}; not explained: this run's reads for explaining refusals (${this.#maxPages} membership pages) are spent; --resume continues (each run has a new budget)`;
  }

  /** The message of a row whose membership was not read: the budget is spent, or the read failed. */
  unread(refusal: Refusal): string {
    return this.#pages >= this.#maxPages ? this.#spent(refusal) : `${said(refusal)}; could not read whether the user holds the label; --resume sends it again`;
  }

  /**
   * A label's members, read once per run: only when its pages (from the
   * label's member count) are no more than `maxPages` and the budget holds
   * them; else undefined. The run only takes members away, so a user it
   * shows not holding the label does not hold it later either (unless added
   * by someone else); one it shows holding it may since have lost it.
   */
  async members(labelId: string, maxPages: number): Promise<ReadonlySet<string> | undefined> {
    const known = this.#members.get(labelId) ?? (await this.#startMembers(labelId, maxPages));
    return known === undefined ? undefined : await known;
  }

  /** A label's members if a read of them has finished this run (see `members`). */
  membersRead(labelId: string): ReadonlySet<string> | undefined {
    return this.#membersRead.get(labelId);
  }

  /** The labels a user holds now (within the help center, if one is given), or undefined when the budget is spent. */
  async userLabels(userId: string): Promise<ReadonlySet<string> | undefined> {
    if (this.#pages >= this.#maxPages) return undefined;
    this.#pages += 1; // taken at once, so reads started together cannot overspend it; a second page counts on its own
    const query = this.#helpCenterId === undefined ? {} : { helpCenterId: this.#helpCenterId };
    let pages = 0;
    try {
      const labels = await listAll(this.#client, 'listUserLabels', { path: { userId }, query }, (call) => this.#page(call, (pages += 1) > 1 ? 1 : 0));
      return new Set(labels.map((l) => l.id));
    } catch (error) {
      if (error instanceof ZohoApiError && error.status === 404) return new Set(); // no such user: it holds nothing
      throw error;
    }
  }

  /** `held`: the pair's membership when already read (a label's member list, a user's labels); else it is read now. */
  async explain(userId: string, labelId: string, refusal: Refusal, held?: boolean): Promise<Explanation> {
    try {
      if (!(await this.labelExists(labelId))) return { status: 'not_found', message: `label ${labelId} does not exist in this organization (${said(refusal)})`, aboutIds: true };
      if (!(await this.userExists(userId))) return { status: 'not_found', message: `user ${userId} does not exist in this organization (${said(refusal)})`, aboutIds: true };
      const holds = held ?? (await this.userLabels(userId))?.has(labelId);
      if (holds === undefined) return { status: 'failed', message: this.#spent(refusal), aboutIds: undefined };
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

  /** Starts reading a label's members when affordable (the budget is taken at once, so reads decided together cannot overspend it). */
  async #startMembers(labelId: string, maxPages: number): Promise<Promise<ReadonlySet<string>> | undefined> {
    const count = Number((await this.#label(labelId))?.count ?? NaN);
    const pages = Number.isFinite(count) ? Math.max(1, Math.ceil(count / MAX_PAGE)) : Infinity;
    const started = this.#members.get(labelId); // another refusal may have started it meanwhile
    if (started) return started;
    if (pages > maxPages || this.#pages + pages > this.#maxPages) return undefined;
    this.#pages += pages;
    let taken = 0;
    const read = listAll(this.#client, 'listLabelUsers', { path: { labelId } }, (call) => this.#page(call, (taken += 1) > pages ? 1 : 0)).then((users) => {
      const ids = new Set(users.map((u) => u.id));
      this.#membersRead.set(labelId, ids);
      return ids;
    });
    this.#members.set(labelId, read);
    read.catch(() => this.#members.delete(labelId));
    return read;
  }

  /** One page of a membership read: counted (`extra`: pages beyond those taken from the budget beforehand), retried on passing failures. */
  #page<T>(call: () => Promise<T>, extra: number): Promise<T> {
    this.reads += 1;
    this.#pages += extra;
    return retryRead(call);
  }

  #label(labelId: string): Promise<Label | undefined> {
    let known = this.#labels.get(labelId);
    if (!known) {
      known = this.#exists(() => this.#client.call('getLabel', { path: { labelId } }));
      this.#labels.set(labelId, known);
      known.catch(() => this.#labels.delete(labelId)); // not known: ask again next time
    }
    return known;
  }

  /** A get by ID: the thing, or undefined when Zoho answers 404. */
  async #exists<T>(read: () => Promise<T>): Promise<T | undefined> {
    this.reads += 1;
    try {
      return await retryRead(read);
    } catch (error) {
      if (error instanceof ZohoApiError && error.status === 404) return undefined;
      throw error;
    }
  }
}

/**
 * Explains refused rows one by one with reads; rows explained alike are
 * finished together. `aboutIds`: true if some refusal was shown to be about
 * its IDs, else false if some was shown not to be, else undefined (nothing
 * was shown: reads not made). `held`: memberships already read. When the run
 * has stopped, nothing is read: the rows fail, resumable.
 */
export async function explainRows(
  evidence: Evidence,
  table: RowTable,
  rows: readonly number[],
  refusal: Refusal,
  stopped: () => boolean,
  held: Held = () => undefined,
): Promise<{ finished: Finished[]; aboutIds: boolean | undefined }> {
  const groups = new Map<string, Finished>();
  let aboutIds: boolean | undefined;
  for (const row of rows) {
    const e: Explanation = stopped()
      ? { status: 'failed', message: `Zoho refused it (HTTP ${refusal.http ?? '-'} ${refusal.code ?? ''}); not explained: the run stopped; --resume sends it again`, aboutIds: undefined }
      : await evidence.explain(userIdOf(table, row), labelIdOf(table, row), refusal, held(row));
    if (e.aboutIds !== undefined) aboutIds = aboutIds === true || e.aboutIds;
    const key = `${e.status}|${e.message}`;
    const group = groups.get(key) ?? { rows: [], status: e.status, http: refusal.http ?? 0, code: refusal.code, message: e.message };
    group.rows.push(row);
    groups.set(key, group);
  }
  return { finished: [...groups.values()], aboutIds };
}
