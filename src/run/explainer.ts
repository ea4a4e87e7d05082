// What refused rows come to, from reads: one row at a time, or a whole refused
// batch from one read of what its label or user holds.
import { BudgetError } from '../errors/BudgetError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { labelIdOf, userIdOf, type RowTable } from '../rows/table.js';
import { explainRows, type Evidence, type Held, type Refusal } from './evidence.js';
import type { HeldAtStart } from './heldAtStart.js';
import type { Finished } from './verdict.js';
import type { Work } from './work.js';

export interface ExplainerOptions {
  table: RowTable;
  action: 'remove' | 'add';
  /** A resumed run: a row the killed run had in flight may have been applied already. */
  resumed: boolean;
  heldAtStart: HeldAtStart;
  stopped: () => boolean;
}

/** Rows explained by reads; `aboutIds` as explainRows says. */
export interface Explained {
  finished: Finished[];
  aboutIds: boolean | undefined;
}

/** A refused batch settled by reads: the rows finished, and those read held (to be sent again). */
export interface Settled {
  finished: Finished[];
  held: number[];
}

/** Users' labels read at once when each row of a refused batch is read. */
const READS_AT_ONCE = 4;

/**
 * A read whose failure only leaves rows unexplained: undefined for it. One
 * refused for the credentials or the credits (Zoho's, or the run's own
 * limits) is thrown: nothing more can be read or sent.
 */
async function tolerant<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof BudgetError || (error instanceof ZohoApiError && (error.kind === 'auth' || error.kind === 'credits'))) throw error;
    return undefined;
  }
}

export class Explainer {
  readonly #evidence: Evidence;
  readonly #o: ExplainerOptions;
  /** Labels and users (`label:ID`, `user:ID`) with a row this run read not held after a refusal. */
  readonly #refusedNonMembers = new Set<string>();

  constructor(evidence: Evidence, options: ExplainerOptions) {
    this.#evidence = evidence;
    this.#o = options;
  }

  /**
   * Explains refused rows of `work` by reads (memberships in `held`, or from
   * a label's member list this run read where it shows the row not held).
   */
  async explain(work: Work, rows: readonly number[], refusal: Refusal, held: Held = this.#notHeldByMembers()): Promise<Explained> {
    const explained = await explainRows(this.#evidence, this.#o.table, rows, refusal, this.#o.stopped, held);
    for (const f of explained.finished) if (f.status === 'not_member') for (const r of f.rows) this.#refusedNonMembers.add(this.#target(work, r));
    if (!(work.mayHaveApplied || this.#o.resumed) || this.#o.action !== 'remove') return explained;
    return { ...explained, finished: explained.finished.flatMap((f) => (f.status === 'not_member' ? this.#lostAnswer(f) : [f])) };
  }

  /**
   * Settles a refused removal from one read of what its target holds: a
   * user's labels, or a label's member list when that takes no more than
   * `maxPages` pages (what the read saves: reading each row would take one
   * each); with `perRow`, else each row's user's labels (a batch refused
   * again: that beats one call per refused ID). Rows read not held are
   * explained (not_member, or not_found from an existence read); rows left
   * unread because the budget is spent fail, saying so; the rest were read
   * held. Undefined when no read was made, or every row was read held (the
   * refusal is not about membership: judge it as before).
   */
  async settle(work: Work, refusal: Refusal, maxPages: number, perRow: boolean): Promise<Settled | undefined> {
    if (this.#o.action !== 'remove' || this.#o.stopped()) return undefined;
    const held = await this.#holdings(work, maxPages, perRow);
    if (!held) return undefined;
    const rows = [...work.batch.rows];
    const notHeld = rows.filter((r) => held(r) === false);
    const unread = rows.filter((r) => held(r) === undefined);
    if (notHeld.length === 0 && unread.length === 0) return undefined;
    const { finished } = await this.explain(work, notHeld, refusal, () => false);
    if (unread.length > 0) finished.push({ rows: unread, status: 'failed', http: refusal.http ?? 0, code: refusal.code, message: this.#evidence.unread(refusal) });
    return { finished, held: rows.filter((r) => held(r) === true) };
  }

  /** Whether a refusal of a row of this work's label (or user) was read to be about a non-member: more may be. */
  refusedNonMembers(work: Work): boolean {
    return work.batch.rows.length > 0 && this.#refusedNonMembers.has(this.#target(work, work.batch.rows[0]!));
  }

  #target(work: Work, row: number): string {
    const { table } = this.#o;
    return work.batch.by === 'label' ? `label:${labelIdOf(table, row)}` : `user:${userIdOf(table, row)}`;
  }

  /** Reads, for every row of one by-user batch at once, whether the user holds its label now. */
  async userHoldings(work: Work): Promise<Held> {
    const labels = await tolerant(this.#evidence.userLabels(userIdOf(this.#o.table, work.batch.rows[0]!)));
    return (r) => labels?.has(labelIdOf(this.#o.table, r));
  }

  async #holdings(work: Work, maxPages: number, perRow: boolean): Promise<Held | undefined> {
    const { table } = this.#o;
    if (work.batch.by === 'user') return this.userHoldings(work);
    const labelId = labelIdOf(table, work.batch.rows[0]!);
    const members = await tolerant(this.#evidence.members(labelId, maxPages));
    if (members) return (r) => members.has(userIdOf(table, r));
    if (!perRow) return undefined;
    const rows = [...work.batch.rows];
    const read: (ReadonlySet<string> | undefined)[] = [];
    // a few at a time: the org's limit on calls in flight is shared with the run's writes
    for (let k = 0; k < rows.length; k += READS_AT_ONCE) {
      read.push(...(await Promise.all(rows.slice(k, k + READS_AT_ONCE).map((r) => tolerant(this.#evidence.userLabels(userIdOf(table, r)))))));
    }
    const byRow = new Map(rows.map((r, k) => [r, read[k]?.has(labelId)]));
    return (r) => byRow.get(r);
  }

  /**
   * A label's member list read this run shows a user not holding it: still
   * so (the run only takes members away). One showing the user holding it
   * proves nothing now: that is read fresh.
   */
  #notHeldByMembers(): Held {
    return (r) => (this.#evidence.membersRead(labelIdOf(this.#o.table, r))?.has(userIdOf(this.#o.table, r)) === false ? false : undefined);
  }

  /**
   * Rows a read shows not held, after a call for them got no answer: this
   * run's call may have removed them. Where a read showed the pair held when
   * the run began, it did: `removed` (restore puts it back). Elsewhere it
   * cannot be known, and the row says so.
   */
  #lostAnswer(f: Finished): Finished[] {
    const held = (row: number): boolean => this.#o.heldAtStart.held(row) === true;
    const removed = f.rows.filter(held);
    const unknown = f.rows.filter((r) => !held(r));
    const out: Finished[] = [
      { ...f, rows: removed, status: 'removed', message: `removed by this run: the pair was held when the run began, a read shows it is not now, and Zoho's answer to this run's call was lost (then: ${f.message})` },
      { ...f, rows: unknown, message: `${f.message}; an earlier call for it got no answer${this.#o.resumed ? ' (or was in flight when a run was killed)' : ''}, so it may have removed it (restore adds back only rows marked removed)` },
    ];
    return out.filter((x) => x.rows.length > 0);
  }
}
