// Properties of the planner (src/plan/plan.ts) over random inputs (fast-check,
// fixed seed): whatever the shape of the pairs, every pending row is sent in
// exactly one call, calls respect the size, and `auto` never costs more calls.
import fc from 'fast-check';
import { planBatches, type Grouping, type PairIndex, type Plan } from '../src/plan/plan.js';
import { RowTableBuilder, type RowTable } from '../src/rows/table.js';

const SEED = 13;

/** Distinct (user, label) pairs over a small space (so groups share users and labels), and which rows are still pending. */
const inputs = fc
  .record({ users: fc.integer({ min: 1, max: 25 }), labels: fc.integer({ min: 1, max: 12 }) })
  .chain(({ users, labels }) =>
    fc.record({
      pairs: fc.uniqueArray(fc.tuple(fc.nat(users - 1), fc.nat(labels - 1)), { minLength: 0, maxLength: 120, selector: ([u, l]) => `${u}:${l}` }),
      pendingBits: fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
      size: fc.integer({ min: 1, max: 12 }),
    }),
  );

/** 19-digit IDs, as Zoho's (the planner must not care what they look like). */
const userId = (n: number) => String(1060099000000334001n + BigInt(n));
const labelId = (n: number) => String(24073000002958013n + BigInt(n * 10));

function tableOf(pairs: [number, number][]): RowTable {
  const b = new RowTableBuilder();
  pairs.forEach(([u, l], i) => b.add(userId(u), labelId(l), i + 2));
  return b.finish();
}

const indexOf = (t: RowTable): PairIndex => ({ user: t.user, label: t.label, userCount: t.users.size, labelCount: t.labels.size });

/** Calls a single grouping needs at best: each key's rows cut into batches of `size`. */
function fewestCalls(t: RowTable, rows: number[], by: 'label' | 'user', size: number): number {
  const perKey = new Map<number, number>();
  for (const r of rows) {
    const key = by === 'label' ? t.label[r]! : t.user[r]!;
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  let calls = 0;
  for (const n of perKey.values()) calls += Math.ceil(n / size);
  return calls;
}

/** Every invariant a plan must keep, whatever the grouping; returns the plan for further checks. */
function checkPlan(t: RowTable, pending: number[], grouping: Grouping, size: number): Plan {
  const plan = planBatches(Uint32Array.from(pending), indexOf(t), grouping, size);
  const seen = new Map<number, string>();
  const ids = new Set<string>();
  for (const b of plan.batches) {
    expect(ids.has(b.id)).toBe(false);
    ids.add(b.id);
    expect(b.rows.length).toBeGreaterThan(0);
    expect(b.rows.length).toBeLessThanOrEqual(size);
    if (plan.grouping !== 'mixed') expect(b.by).toBe(plan.grouping);
    if (grouping !== 'auto') expect(plan.grouping).toBe(grouping);
    const rows = [...b.rows];
    // the path's key is every row's label (by label) or user (by user)
    for (const r of rows) expect(b.by === 'label' ? t.label[r] : t.user[r]).toBe(b.key);
    // the body carries each ID once (pairs are distinct and the key is shared)
    const body = rows.map((r) => (b.by === 'label' ? t.user[r] : t.label[r]));
    expect(new Set(body).size).toBe(body.length);
    // input order inside a batch
    expect(rows).toEqual([...rows].sort((x, y) => x - y));
    for (const r of rows) {
      expect(seen.get(r)).toBeUndefined(); // in one batch only
      seen.set(r, b.id);
    }
  }
  // exactly the pending rows: none lost, none that was not asked for
  expect([...seen.keys()].sort((x, y) => x - y)).toEqual(pending);
  return plan;
}

describe('planner properties', () => {
  test('every pending pair in exactly one batch of 1..size rows whose key and body match its rows; auto never more calls than by label or by user', () => {
    fc.assert(
      fc.property(inputs, ({ pairs, pendingBits, size }) => {
        const t = tableOf(pairs);
        // rows already finished (or invalid) are not pending: the planner must leave them out
        const pending = pairs.map((_, i) => i).filter((i) => pendingBits[i]);
        const byLabel = checkPlan(t, pending, 'label', size);
        const byUser = checkPlan(t, pending, 'user', size);
        const auto = checkPlan(t, pending, 'auto', size);
        // a single grouping takes the fewest calls it allows
        expect(byLabel.batches).toHaveLength(fewestCalls(t, pending, 'label', size));
        expect(byUser.batches).toHaveLength(fewestCalls(t, pending, 'user', size));
        expect(auto.batches.length).toBeLessThanOrEqual(Math.min(byLabel.batches.length, byUser.batches.length));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
