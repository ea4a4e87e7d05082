// Pure: grouping row indexes by a key, in linear time. No I/O here.

/** Rows grouped by key: group g is `order[start[g] .. start[g+1])`, all with key `key[g]`. */
export interface Groups {
  readonly order: Uint32Array;
  readonly key: Int32Array;
  readonly start: Uint32Array;
  readonly count: number;
}

/**
 * Groups `rows` by `keyOf[row]` (keys are 0 ≤ k < keyCount) with a counting
 * sort: O(rows + keys), stable, so rows keep their input order inside a group;
 * groups come in the order their key first appears in `rows`.
 */
export function groupRows(rows: ArrayLike<number>, keyOf: Int32Array, keyCount: number): Groups {
  const groupOfKey = new Int32Array(keyCount).fill(-1);
  const keys: number[] = [];
  const sizes: number[] = [];
  for (let k = 0; k < rows.length; k += 1) {
    const key = keyOf[rows[k]!]!;
    let g = groupOfKey[key]!;
    if (g < 0) {
      g = keys.length;
      groupOfKey[key] = g;
      keys.push(key);
      sizes.push(0);
    }
    sizes[g]! += 1;
  }
  const start = new Uint32Array(keys.length + 1);
  for (let g = 0; g < keys.length; g += 1) start[g + 1] = start[g]! + sizes[g]!;
  const fill = start.slice(0, keys.length);
  const order = new Uint32Array(rows.length);
  for (let k = 0; k < rows.length; k += 1) {
    const row = rows[k]!;
    const g = groupOfKey[keyOf[row]!]!;
    order[fill[g]!++] = row;
  }
  return { order, key: Int32Array.from(keys), start, count: keys.length };
}

/**
 * Finds repeated (user, label) pairs among `rows`: calls `onRepeat(row, first)`
 * for every row whose pair an earlier row (`first`, in input order) already
 * named. Linear: rows are grouped by label, then users are stamped per group.
 */
export function findRepeats(
  rows: ArrayLike<number>,
  user: Int32Array,
  label: Int32Array,
  userCount: number,
  labelCount: number,
  onRepeat: (row: number, first: number) => void,
): void {
  const groups = groupRows(rows, label, labelCount);
  const stamp = new Int32Array(userCount).fill(-1);
  const first = new Int32Array(userCount);
  for (let g = 0; g < groups.count; g += 1) {
    for (let k = groups.start[g]!; k < groups.start[g + 1]!; k += 1) {
      const row = groups.order[k]!;
      const u = user[row]!;
      if (stamp[u] === g) onRepeat(row, first[u]!);
      else {
        stamp[u] = g;
        first[u] = row;
      }
    }
  }
}
