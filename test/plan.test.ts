import { halve, planBatches, splitBatch, type Batch, type Grouping, type Plan } from '../src/plan/plan.js';
import { RowTableBuilder, type RowTable } from '../src/rows/table.js';

/** A table of (user, label) pairs, rows 0..n-1 in order. */
function tableOf(list: [string, string][]): RowTable {
  const b = new RowTableBuilder();
  list.forEach(([user, label], i) => b.add(user, label, i + 2));
  return b.finish();
}
const allRows = (t: RowTable) => Uint32Array.from({ length: t.size }, (_, i) => i);
const plan = (t: RowTable, g: Grouping, size: number) => planBatches(allRows(t), { user: t.user, label: t.label, userCount: t.users.size, labelCount: t.labels.size }, g, size);
/** A batch as its path key, the IDs in its body, and its (1-based) rows. */
const view = (t: RowTable, b: Batch) => ({
  id: b.id,
  by: b.by,
  key: b.by === 'label' ? t.labels.value(b.key) : t.users.value(b.key),
  ids: [...b.rows].map((r) => (b.by === 'label' ? t.users.value(t.user[r]!) : t.labels.value(t.label[r]!))),
  rows: [...b.rows].map((r) => r + 1),
});
const covered = (t: RowTable, p: Plan) => p.batches.flatMap((b) => [...b.rows].map((r) => `${r + 1}:${t.users.value(t.user[r]!)}:${t.labels.value(t.label[r]!)}`)).sort();
const expected = (list: [string, string][]) => list.map(([user, label], i) => `${i + 1}:${user}:${label}`).sort();

describe('planning (pure)', () => {
  // 120 users on label A, the first 30 of them also on label B
  const u = (i: number) => String(1060099000000334001n + BigInt(i));
  const list: [string, string][] = [...Array.from({ length: 120 }, (_, i) => [u(i), 'A'] as [string, string]), ...Array.from({ length: 30 }, (_, i) => [u(i), 'B'] as [string, string])];
  const input = tableOf(list);

  test('by label: users batched per label, at most batch-size IDs, the fewest calls that grouping allows', () => {
    const p = plan(input, 'label', 50);
    expect(p.batches.map((b) => [view(input, b).key, b.rows.length])).toEqual([
      ['A', 50],
      ['A', 50],
      ['A', 20],
      ['B', 30],
    ]);
    expect(covered(input, p)).toEqual(expected(list));
    // input order is kept inside a batch
    expect(view(input, p.batches[0]!).rows).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  test('by user: labels batched per user', () => {
    const p = plan(input, 'user', 50);
    expect(p.batches).toHaveLength(120);
    expect(view(input, p.batches[0]!)).toEqual({ id: 'b1', by: 'user', key: u(0), ids: ['A', 'B'], rows: [1, 121] });
    expect(covered(input, p)).toEqual(expected(list));
  });

  test('auto picks the grouping with fewer calls', () => {
    expect(plan(input, 'auto', 50).batches).toHaveLength(4);
    // one user holding many labels: by user wins
    const manyLabels = tableOf(Array.from({ length: 60 }, (_, i) => ['7', String(100 + i)] as [string, string]));
    const p = plan(manyLabels, 'auto', 50);
    expect([p.grouping, p.batches.length]).toEqual(['user', 2]);
  });

  test('a mixed plan beats both single groupings when a label hub and a user hub meet', () => {
    // label L held by users 1..100, and user X holding labels 1..100
    const hubList: [string, string][] = [
      ...Array.from({ length: 100 }, (_, i) => [String(1000 + i), '9'] as [string, string]),
      ...Array.from({ length: 100 }, (_, i) => ['5', String(2000 + i)] as [string, string]),
    ];
    const hub = tableOf(hubList);
    expect(plan(hub, 'label', 50).batches).toHaveLength(102);
    expect(plan(hub, 'user', 50).batches).toHaveLength(102);
    const p = plan(hub, 'auto', 50);
    expect([p.grouping, p.batches.length]).toEqual(['mixed', 4]);
    expect(covered(hub, p)).toEqual(expected(hubList));
  });

  test('every pair lands in exactly one batch, whatever the shape (random inputs)', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let t = 0; t < 30; t += 1) {
      const seen = new Set<string>();
      const pairs: [string, string][] = [];
      for (let i = 0; i < 300; i += 1) {
        const pair: [string, string] = [String(rnd(40)), String(rnd(25))];
        if (!seen.has(pair.join())) {
          seen.add(pair.join());
          pairs.push(pair);
        }
      }
      const table = tableOf(pairs);
      for (const g of ['label', 'user', 'auto'] as const) {
        const size = 1 + rnd(20);
        const p = plan(table, g, size);
        expect(covered(table, p)).toEqual(expected(pairs));
        expect(p.batches.every((b) => b.rows.length <= size && b.rows.length > 0)).toBe(true);
      }
      const auto = plan(table, 'auto', 10).batches.length;
      expect(auto).toBeLessThanOrEqual(Math.min(plan(table, 'label', 10).batches.length, plan(table, 'user', 10).batches.length));
    }
  });

  test('20 000 pairs plan in well under a second', () => {
    const big = tableOf(Array.from({ length: 20_000 }, (_, i) => [String(10_000_000 + i), String(500 + (i % 400))] as [string, string]));
    const t = performance.now();
    const p = plan(big, 'auto', 50);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(p.batches).toHaveLength(400);
  });

  test('split and halve keep rows with their IDs', () => {
    const t = tableOf([['1', 'L'], ['2', 'L'], ['3', 'L'], ['4', 'L'], ['5', 'L']]);
    const b: Batch = { id: 'b3', by: 'label', key: 0, rows: Uint32Array.from([0, 1, 2, 3, 4]) };
    expect(splitBatch(b, 2).map((x) => [x.id, view(t, x).ids, view(t, x).rows])).toEqual([
      ['b3.1', ['1', '2'], [1, 2]],
      ['b3.2', ['3', '4'], [3, 4]],
      ['b3.3', ['5'], [5]],
    ]);
    expect(halve(b).map((x) => view(t, x).ids)).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
    expect(() => plan(t, 'label', 0)).toThrow('Expected `batchSize` to be an integer ≥ 1, got `0`');
  });
});
