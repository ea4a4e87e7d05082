import type { Side } from '../plan/plan.js';
import { labelIdOf, userIdOf, type RowTable } from '../rows/table.js';
import type { Finished } from './verdict.js';

/**
 * What targets held when the run began, as read before its first write to
 * them (the guard's before-reads): a label's whole member list, or a user's
 * labels. The evidence for two judgements a Zoho answer alone cannot make.
 */
export class HeldAtStart {
  readonly #read = new Map<string, { ids: ReadonlySet<string>; complete: boolean }>();
  readonly #table: RowTable;
  /** Every row's pair was read held (retire-label, reconcile, prune: the rows come from member lists). */
  readonly #allHeld: boolean;
  /** 1 for a row read held on its own (an email found among members, --check-members). */
  readonly #rows: Uint8Array | undefined;

  constructor(table: RowTable, allHeld: boolean, rows?: Uint8Array) {
    this.#table = table;
    this.#allHeld = allHeld;
    this.#rows = rows;
  }

  /** `complete`: the read holds every membership of the target (a user's labels filtered to one help center do not). */
  record(side: Side, target: string, ids: ReadonlySet<string>, complete: boolean): void {
    this.#read.set(`${side}:${target}`, { ids, complete });
  }

  /** true: read held; false: read not held (its target's full holdings were read); undefined: not read. */
  held(row: number): boolean | undefined {
    if (this.#allHeld || this.#rows?.[row] === 1) return true;
    const user = userIdOf(this.#table, row);
    const label = labelIdOf(this.#table, row);
    const members = this.#read.get(`label:${label}`);
    const labels = this.#read.get(`user:${user}`);
    if (members?.ids.has(user) || labels?.ids.has(label)) return true;
    return members?.complete || labels?.complete ? false : undefined;
  }

  /**
   * Zoho answered success for a removal (it may for a user who does not hold
   * the label: ZOHO-NOTES.md, unknown). A row read not held before this run's
   * first write to it was not removed by it: not_member, so that `restore`
   * never gives a label to someone who did not hold it.
   */
  judgeSuccess(finished: Finished): Finished[] {
    if (finished.status !== 'removed') return [finished];
    const notHeld = finished.rows.filter((r) => this.held(r) === false);
    if (notHeld.length === 0) return [finished];
    const removed = finished.rows.filter((r) => this.held(r) !== false);
    const message = `the user did not hold the label when the run began (read before its first write); Zoho answered success, so nothing was removed`;
    const out: Finished[] = [
      { ...finished, rows: removed },
      { ...finished, rows: notHeld, status: 'not_member', message },
    ];
    return out.filter((f) => f.rows.length > 0);
  }
}
