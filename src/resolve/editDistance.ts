// Pure: how far apart two names are, to suggest the closest ones.

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from `a` to `b`. */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Up to `count` of `names` closest to `name` (by edit distance of their keys, then alphabetically), one per key. */
export function closest(name: string, names: Iterable<string>, count = 3, key: (s: string) => string = (s) => s): string[] {
  const target = key(name);
  const byKey = new Map<string, string>();
  for (const n of names) if (!byKey.has(key(n))) byKey.set(key(n), n);
  return [...byKey]
    .map(([k, n]) => ({ n, d: editDistance(target, k) }))
    .sort((x, y) => x.d - y.d || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0))
    .slice(0, count)
    .map((x) => x.n);
}
