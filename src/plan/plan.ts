// Pure planning: which calls remove which pairs. No I/O here.
import { groupRows, type Groups } from './group.js';

export type Grouping = 'label' | 'user' | 'auto';
export type Side = 'label' | 'user';

/** The pairs, as interned numbers: row r pairs user `user[r]` with label `label[r]`. */
export interface PairIndex {
  readonly user: Int32Array;
  readonly label: Int32Array;
  readonly userCount: number;
  readonly labelCount: number;
}

/**
 * One call. By label: the label `key` and the users of `rows` in the body; by
 * user: the user `key` and the labels of `rows`. One ID per row.
 */
export interface Batch {
  readonly id: string;
  readonly by: Side;
  /** The interned label (by label) or user (by user) of the path. */
  readonly key: number;
  readonly rows: Uint32Array;
}

export interface Plan {
  grouping: Side | 'mixed';
  batches: Batch[];
}

const callsOf = (g: Groups, size: number): number => {
  let calls = 0;
  for (let k = 0; k < g.count; k += 1) calls += Math.ceil((g.start[k + 1]! - g.start[k]!) / size);
  return calls;
};

/** A run of rows for one key, cut into batches of at most `size`. */
function chunks(out: Batch[], by: Side, key: number, rows: Uint32Array, size: number): void {
  for (let at = 0; at < rows.length; at += size) out.push({ id: `b${out.length + 1}`, by, key, rows: rows.subarray(at, at + size) });
}

function single(g: Groups, by: Side, size: number): Batch[] {
  const out: Batch[] = [];
  for (let k = 0; k < g.count; k += 1) chunks(out, by, g.key[k]!, g.order.subarray(g.start[k]!, g.start[k + 1]!), size);
  return out;
}

/**
 * A mixed plan: repeatedly give the label or user with the most pairs left its
 * own calls. It wins when a few labels and a few users are each shared by many
 * pairs. Counts only fall, so a bucket queue (one list per count, walked down
 * once) makes it linear: O(pairs + groups + largest group).
 */
function mixed(byLabel: Groups, byUser: Groups, pairs: PairIndex, size: number, rowLimit: number): Batch[] {
  const labels = byLabel.count;
  const groupOfLabel = new Int32Array(pairs.labelCount).fill(-1);
  const groupOfUser = new Int32Array(pairs.userCount).fill(-1);
  for (let g = 0; g < labels; g += 1) groupOfLabel[byLabel.key[g]!] = g;
  for (let g = 0; g < byUser.count; g += 1) groupOfUser[byUser.key[g]!] = labels + g;
  const total = labels + byUser.count;
  const rowsOf = (g: number): Uint32Array => (g < labels ? byLabel.order.subarray(byLabel.start[g]!, byLabel.start[g + 1]!) : byUser.order.subarray(byUser.start[g - labels]!, byUser.start[g - labels + 1]!));
  const left = new Int32Array(total);
  const buckets: number[][] = [];
  const enqueue = (g: number): void => {
    (buckets[left[g]!] ??= []).push(g);
  };
  for (let g = 0; g < total; g += 1) {
    left[g] = rowsOf(g).length;
    enqueue(g);
  }
  const done = new Uint8Array(rowLimit);
  const taken = new Uint32Array(byLabel.order.length);
  let used = 0;
  const out: Batch[] = [];
  for (let count = buckets.length - 1; count > 0; count -= 1) {
    for (const g of buckets[count] ?? []) {
      if (left[g] !== count) continue; // a stale entry: the group has shrunk since
      const from = used;
      for (const row of rowsOf(g)) {
        if (done[row]) continue;
        done[row] = 1;
        taken[used++] = row;
        const other = g < labels ? groupOfUser[pairs.user[row]!]! : groupOfLabel[pairs.label[row]!]!;
        left[other]! -= 1;
        if (left[other]! > 0) enqueue(other);
      }
      left[g] = 0;
      const by: Side = g < labels ? 'label' : 'user';
      chunks(out, by, g < labels ? byLabel.key[g]! : byUser.key[g - labels]!, taken.subarray(from, used), size);
    }
  }
  return out;
}

/**
 * Groups the pairs of `rows` into calls of at most `batchSize` IDs. `auto`
 * takes the plan with the fewest calls among by-label, by-user and mixed
 * (ties: by label, whose 204 answer is the simplest). Rows keep their input
 * order inside a batch.
 */
export function planBatches(rows: Uint32Array, pairs: PairIndex, grouping: Grouping, batchSize: number): Plan {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TypeError(`Expected \`batchSize\` to be an integer ≥ 1, got \`${batchSize}\``);
  }
  const byLabel = grouping === 'user' ? undefined : groupRows(rows, pairs.label, pairs.labelCount);
  const byUser = grouping === 'label' ? undefined : groupRows(rows, pairs.user, pairs.userCount);
  if (!byUser) return { grouping: 'label', batches: single(byLabel!, 'label', batchSize) };
  if (!byLabel) return { grouping: 'user', batches: single(byUser, 'user', batchSize) };
  const labelCalls = callsOf(byLabel, batchSize);
  const userCalls = callsOf(byUser, batchSize);
  let rowLimit = 0;
  for (let k = 0; k < rows.length; k += 1) rowLimit = Math.max(rowLimit, rows[k]! + 1);
  const mixedPlan = mixed(byLabel, byUser, pairs, batchSize, rowLimit);
  if (mixedPlan.length < Math.min(labelCalls, userCalls)) return { grouping: 'mixed', batches: mixedPlan };
  return userCalls < labelCalls ? { grouping: 'user', batches: single(byUser, 'user', batchSize) } : { grouping: 'label', batches: single(byLabel, 'label', batchSize) };
}

/** Splits a batch into parts of at most `size` IDs (for a size refusal or bisection); parts are named `<id>.1`, `<id>.2`, …. */
export function splitBatch(batch: Batch, size: number): Batch[] {
  if (batch.rows.length <= size) return [batch];
  const parts: Batch[] = [];
  for (let at = 0; at < batch.rows.length; at += size) {
    parts.push({ ...batch, id: `${batch.id}.${parts.length + 1}`, rows: batch.rows.subarray(at, at + size) });
  }
  return parts;
}

/** Halves a batch (bisection to isolate refused IDs). */
export function halve(batch: Batch): Batch[] {
  return splitBatch(batch, Math.ceil(batch.rows.length / 2));
}

/** The batch without some of its rows (a refusal that named them); the same id with a suffix. */
export function without(batch: Batch, excluded: ReadonlySet<number>, suffix: string): Batch {
  return { ...batch, id: `${batch.id}${suffix}`, rows: batch.rows.filter((r) => !excluded.has(r)) };
}
