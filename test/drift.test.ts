// reconcile's decisions, alone: who drifts, when the safety limit refuses, what --check says.
import { driftLines, driftOf, driftReport, limitRefusal } from '../src/reconcile/drift.js';
import type { MemberRow } from '../src/rows/membersCsv.js';

const LABEL = '24073000002958029';
const id = (i: number) => (1060099000000334001n + BigInt(i)).toString();
const member = (i: number): MemberRow => ({ userId: id(i), labelId: LABEL, name: `User ${i}`, email: `user${i}@zylker.com`, assignedTime: '', status: 'ACTIVE' });
const members = (n: number) => Array.from({ length: n }, (_, i) => member(i));

describe('driftOf', () => {
  test('the members not on the keep list, in member order; keep-list users without the label are counted, never added', () => {
    const drift = driftOf(members(5), new Set([id(1), id(3), id(90), id(91)]));
    expect(drift.removals.map((m) => m.userId)).toEqual([id(0), id(2), id(4)]);
    expect(drift.keepNotMembers).toBe(2);
  });

  test('everyone kept: no drift', () => {
    expect(driftOf(members(3), new Set([id(0), id(1), id(2)]))).toEqual({ removals: [], keepNotMembers: 0 });
  });

  test('IDs are compared as strings, digit for digit (beyond 2^53)', () => {
    const near = (BigInt(id(0)) + 1n).toString();
    expect(driftOf([member(0)], new Set([near])).removals).toHaveLength(1);
  });
});

describe('limitRefusal', () => {
  const keep = (size: number) => ({ file: '/k/keep.csv', size });

  test('an empty keep file removes nobody without --max-removals, and the message says how to proceed', () => {
    const drift = driftOf(members(4), new Set());
    expect(limitRefusal(drift, 4, keep(0), undefined, '"MVP" (1)')).toBe(
      'the keep file /k/keep.csv lists nobody: that would remove all 4 members of "MVP" (1); nothing was sent. If that is the intent, use retire-label, or pass --max-removals 4.',
    );
    expect(limitRefusal(drift, 4, keep(0), 4, '"MVP" (1)')).toBeUndefined();
  });

  test('by default at most half the members (rounded down) go', () => {
    expect(limitRefusal(driftOf(members(5), new Set([id(0), id(1), id(2)])), 5, keep(3), undefined, 'L')).toBeUndefined();
    expect(limitRefusal(driftOf(members(5), new Set([id(0), id(1)])), 5, keep(2), undefined, 'L')).toBe(
      'reconcile would remove 3 of 5 members of L, more than --max-removals 2 (default: half the members); nothing was sent. Check /k/keep.csv, or raise --max-removals if this is intended.',
    );
  });

  test('--max-removals replaces the default, both ways', () => {
    const drift = driftOf(members(10), new Set([id(0)]));
    expect(limitRefusal(drift, 10, keep(1), 9, 'L')).toBeUndefined();
    expect(limitRefusal(drift, 10, keep(1), 8, 'L')).toMatch(/more than --max-removals 8; nothing was sent/);
    expect(limitRefusal(driftOf(members(2), new Set([id(0)])), 2, keep(1), 0, 'L')).toMatch(/would remove 1 of 2/);
  });
});

describe('--check report', () => {
  test('the JSON report names every member that would go', () => {
    const report = driftReport({ id: LABEL, name: 'MVP' }, 3, 2, driftOf(members(3), new Set([id(0), id(7)])));
    expect(report).toEqual({
      label: LABEL,
      name: 'MVP',
      members: 3,
      keep: 2,
      drift: 2,
      wouldRemove: [1, 2].map((i) => ({ userId: id(i), name: `User ${i}`, email: `user${i}@zylker.com` })),
      keepNotMembers: 1,
    });
  });

  test('in words: no drift', () => {
    expect(driftLines(driftReport({ id: LABEL, name: 'MVP' }, 2, 2, driftOf(members(2), new Set([id(0), id(1)]))))).toEqual([
      `reconcile --check "MVP" (${LABEL}): 2 members, 2 on the keep list`,
      '  no drift: every member is on the keep list',
    ]);
  });

  test('in words: at most 100 members listed, the rest counted', () => {
    const lines = driftLines(driftReport({ id: LABEL, name: null }, 103, 1, driftOf(members(103), new Set([id(0), id(500)]))));
    expect(lines[0]).toBe(`reconcile --check "" (${LABEL}): 103 members, 1 on the keep list`);
    expect(lines[1]).toBe('  drift: 102 member(s) not on the keep list would be removed:');
    expect(lines.slice(2, 102)).toHaveLength(100);
    expect(lines[2]).toBe(`    ${id(1)}  User 1  user1@zylker.com`);
    expect(lines.slice(102)).toEqual(['    … and 2 more (--json lists them all)', '  1 user(s) on the keep list do not hold the label (reconcile never adds)']);
  });
});
