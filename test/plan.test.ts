import { planBatches, splitBatch, halve } from '../src/plan/plan.js';
import type { Pair } from '../src/rows/types.js';

const pairs = (list: [string, string][]): Pair[] => list.map(([userId, labelId], i) => ({ row: i + 1, userId, labelId }));
const covered = (plan: ReturnType<typeof planBatches>) =>
  plan.batches.flatMap((b) => b.ids.map((id, i) => `${b.rows[i]}:${b.by === 'label' ? `${id}:${b.key}` : `${b.key}:${id}`}`)).sort();
const expected = (ps: Pair[]) => ps.map((p) => `${p.row}:${p.userId}:${p.labelId}`).sort();

describe('planning (pure)', () => {
  // 120 users on label A, the first 30 of them also on label B
  const u = (i: number) => String(1060099000000334001n + BigInt(i));
  const input = pairs([...Array.from({ length: 120 }, (_, i) => [u(i), 'A'] as [string, string]), ...Array.from({ length: 30 }, (_, i) => [u(i), 'B'] as [string, string])]);

  test('by label: users batched per label, at most batch-size IDs, the fewest calls that grouping allows', () => {
    const plan = planBatches(input, 'label', 50);
    expect(plan.batches.map((b) => [b.key, b.ids.length])).toEqual([
      ['A', 50],
      ['A', 50],
      ['A', 20],
      ['B', 30],
    ]);
    expect(covered(plan)).toEqual(expected(input));
    // input order is kept inside a batch
    expect(plan.batches[0]!.rows).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  test('by user: labels batched per user', () => {
    const plan = planBatches(input, 'user', 50);
    expect(plan.batches).toHaveLength(120);
    expect(plan.batches[0]).toEqual({ id: 'b1', by: 'user', key: u(0), ids: ['A', 'B'], rows: [1, 121] });
    expect(covered(plan)).toEqual(expected(input));
  });

  test('auto picks the grouping with fewer calls', () => {
    expect(planBatches(input, 'auto', 50).batches).toHaveLength(4);
    // one user holding many labels: by user wins
    const manyLabels = pairs(Array.from({ length: 60 }, (_, i) => ['7', String(100 + i)] as [string, string]));
    const plan = planBatches(manyLabels, 'auto', 50);
    expect([plan.grouping, plan.batches.length]).toEqual(['user', 2]);
  });

  test('a mixed plan beats both single groupings when a label hub and a user hub meet', () => {
    // label L held by users 1..100, and user X holding labels 1..100
    const hub = pairs([
      ...Array.from({ length: 100 }, (_, i) => [String(1000 + i), '9'] as [string, string]),
      ...Array.from({ length: 100 }, (_, i) => ['5', String(2000 + i)] as [string, string]),
    ]);
    expect(planBatches(hub, 'label', 50).batches).toHaveLength(102);
    expect(planBatches(hub, 'user', 50).batches).toHaveLength(102);
    const plan = planBatches(hub, 'auto', 50);
    expect([plan.grouping, plan.batches.length]).toEqual(['mixed', 4]);
    expect(covered(plan)).toEqual(expected(hub));
  });

  test('every pair lands in exactly one batch, whatever the shape (random inputs)', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let t = 0; t < 30; t += 1) {
      const seen = new Set<string>();
      const list: [string, string][] = [];
      for (let i = 0; i < 300; i += 1) {
        const pair: [string, string] = [String(rnd(40)), String(rnd(25))];
        if (!seen.has(pair.join())) {
          seen.add(pair.join());
          list.push(pair);
        }
      }
      const ps = pairs(list);
      for (const g of ['label', 'user', 'auto'] as const) {
        const size = 1 + rnd(20);
        const plan = planBatches(ps, g, size);
        expect(covered(plan)).toEqual(expected(ps));
        expect(plan.batches.every((b) => b.ids.length <= size && b.ids.length > 0)).toBe(true);
      }
      const auto = planBatches(ps, 'auto', 10).batches.length;
      expect(auto).toBeLessThanOrEqual(Math.min(planBatches(ps, 'label', 10).batches.length, planBatches(ps, 'user', 10).batches.length));
    }
  });

  test('20 000 pairs plan in well under a second', () => {
    const big = pairs(Array.from({ length: 20_000 }, (_, i) => [String(10_000_000 + i), String(500 + (i % 400))] as [string, string]));
    const t = performance.now();
    const plan = planBatches(big, 'auto', 50);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(plan.batches).toHaveLength(400);
  });

  test('split and halve keep rows with their IDs', () => {
    const b = { id: 'b3', by: 'label' as const, key: 'L', ids: ['1', '2', '3', '4', '5'], rows: [10, 11, 12, 13, 14] };
    expect(splitBatch(b, 2).map((x) => [x.id, x.ids, x.rows])).toEqual([
      ['b3.1', ['1', '2'], [10, 11]],
      ['b3.2', ['3', '4'], [12, 13]],
      ['b3.3', ['5'], [14]],
    ]);
    expect(halve(b).map((x) => x.ids)).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
    expect(() => planBatches([], 'label', 0)).toThrow('Expected `batchSize` to be an integer ≥ 1, got `0`');
  });
});
