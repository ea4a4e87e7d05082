// Pure planning: which calls remove which pairs. No I/O here.
import type { Pair } from '../rows/types.js';

export type Grouping = 'label' | 'user' | 'auto';

/** One call: by label, a label and the users to take off it; by user, a user and the labels to take off. */
export interface Batch {
  id: string;
  by: 'label' | 'user';
  /** The label ID (by label) or user ID (by user) in the path. */
  key: string;
  /** The IDs in the body, one per row. */
  ids: string[];
  rows: number[];
}

export interface Plan {
  grouping: 'label' | 'user' | 'mixed';
  batches: Batch[];
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupBy(pairs: Pair[], by: 'label' | 'user'): Map<string, Pair[]> {
  const groups = new Map<string, Pair[]>();
  for (const p of pairs) {
    const key = by === 'label' ? p.labelId : p.userId;
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }
  return groups;
}

function batchesOf(by: 'label' | 'user', key: string, pairs: Pair[], size: number): Omit<Batch, 'id'>[] {
  return chunk(pairs, size).map((part) => ({
    by,
    key,
    ids: part.map((p) => (by === 'label' ? p.userId : p.labelId)),
    rows: part.map((p) => p.row),
  }));
}

function single(pairs: Pair[], by: 'label' | 'user', size: number): Omit<Batch, 'id'>[] {
  return [...groupBy(pairs, by)].flatMap(([key, group]) => batchesOf(by, key, group, size));
}

/**
 * A mixed plan: repeatedly give the label or user with the most pairs left
 * its own calls. It wins when a few labels and a few users are each shared by
 * many pairs (one label held by many users and one user holding many labels).
 * A max-heap with lazy updates keeps it O(pairs · log groups).
 */
function mixed(pairs: Pair[], size: number): Omit<Batch, 'id'>[] {
  type Group = { by: 'label' | 'user'; key: string; pairs: Pair[]; left: number; order: number };
  const groups = new Map<string, Group>();
  let order = 0;
  const groupOf = (by: 'label' | 'user', key: string): Group => {
    const id = `${by}:${key}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { by, key, pairs: [], left: 0, order: order++ }));
    return g;
  };
  for (const p of pairs) {
    for (const g of [groupOf('label', p.labelId), groupOf('user', p.userId)]) {
      g.pairs.push(p);
      g.left += 1;
    }
  }
  // Heap entries are [left, group]; an entry whose count no longer matches is stale.
  const heap: [number, Group][] = [];
  const before = (a: [number, Group], b: [number, Group]) => a[0] > b[0] || (a[0] === b[0] && a[1].order < b[1].order);
  const push = (e: [number, Group]) => {
    heap.push(e);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): [number, Group] | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  for (const g of groups.values()) push([g.left, g]);
  const done = new Set<Pair>();
  const out: Omit<Batch, 'id'>[] = [];
  for (let e = pop(); e; e = pop()) {
    const [count, g] = e;
    if (count !== g.left || count === 0) continue;
    const take = g.pairs.filter((p) => !done.has(p));
    for (const p of take) {
      done.add(p);
      const other = g.by === 'label' ? groups.get(`user:${p.userId}`)! : groups.get(`label:${p.labelId}`)!;
      other.left -= 1;
      if (other.left > 0) push([other.left, other]);
    }
    g.left = 0;
    out.push(...batchesOf(g.by, g.key, take, size));
  }
  return out;
}

/**
 * Groups pairs into calls of at most `batchSize` IDs. `auto` takes the plan
 * with the fewest calls among by-label, by-user and mixed (ties: by label,
 * whose 204 answer is the simplest). Pairs keep their input order inside a batch.
 */
export function planBatches(pairs: Pair[], grouping: Grouping, batchSize: number): Plan {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TypeError(`Expected \`batchSize\` to be an integer ≥ 1, got \`${batchSize}\``);
  }
  const name = (bs: Omit<Batch, 'id'>[]): Batch[] => bs.map((b, i) => ({ id: `b${i + 1}`, ...b }));
  if (grouping !== 'auto') return { grouping, batches: name(single(pairs, grouping, batchSize)) };
  const candidates = [
    { grouping: 'label' as const, batches: single(pairs, 'label', batchSize) },
    { grouping: 'user' as const, batches: single(pairs, 'user', batchSize) },
    { grouping: 'mixed' as const, batches: mixed(pairs, batchSize) },
  ];
  const best = candidates.reduce((a, b) => (b.batches.length < a.batches.length ? b : a));
  return { grouping: best.grouping, batches: name(best.batches) };
}

/** Splits a batch into parts of at most `size` IDs (for a size refusal or bisection). */
export function splitBatch(batch: Batch, size: number): Batch[] {
  if (batch.ids.length <= size) return [batch];
  const ids = chunk(batch.ids, size);
  const rows = chunk(batch.rows, size);
  return ids.map((part, i) => ({ ...batch, id: `${batch.id}.${i + 1}`, ids: part, rows: rows[i]! }));
}

/** Halves a batch (bisection to isolate bad IDs). */
export function halve(batch: Batch): Batch[] {
  return splitBatch(batch, Math.ceil(batch.ids.length / 2));
}
