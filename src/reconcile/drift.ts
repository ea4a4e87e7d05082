// Pure: what `zdlabels reconcile` would change on a label, given its members
// and the keep list, whether that is within the safety limit, and the
// `--check` report. No I/O.
import { labelTitle } from '../resolve/labelNames.js';
import type { MemberRow } from '../rows/membersCsv.js';
import type { Label } from '../zoho/types.js';

export interface Drift {
  /** Members who are not on the keep list: those reconcile removes. */
  removals: MemberRow[];
  /** How many users on the keep list do not hold the label (reconcile never adds them). */
  keepNotMembers: number;
}

export function driftOf(members: readonly MemberRow[], keep: ReadonlySet<string>): Drift {
  const memberIds = new Set(members.map((m) => m.userId));
  let keepNotMembers = 0;
  for (const userId of keep) if (!memberIds.has(userId)) keepNotMembers += 1;
  return { removals: members.filter((m) => !keep.has(m.userId)), keepNotMembers };
}

/**
 * Why the removals must not be sent, or undefined when they may: a truncated
 * keep file must not wipe a label. Without `maxRemovals`, at most half the
 * members go, and an empty keep file removes nobody.
 */
export function limitRefusal(drift: Drift, members: number, keep: { file: string; size: number }, maxRemovals: number | undefined, label: string): string | undefined {
  const removals = drift.removals.length;
  if (keep.size === 0 && removals > 0 && maxRemovals === undefined) {
    return `the keep file ${keep.file} lists nobody: that would remove all ${members} members of ${label}; nothing was sent. If that is the intent, use retire-label, or pass --max-removals ${members}.`;
  }
  const limit = maxRemovals ?? Math.floor(members / 2);
  if (removals <= limit) return undefined;
  const which = maxRemovals === undefined ? ' (default: half the members)' : '';
  return `reconcile would remove ${removals} of ${members} members of ${label}, more than --max-removals ${limit}${which}; nothing was sent. Check ${keep.file}, or raise --max-removals if this is intended.`;
}

/** `--check --json`, and the `drift` event of `--log-format json`. */
export type DriftReport = {
  label: string;
  name: string | null;
  members: number;
  keep: number;
  drift: number;
  wouldRemove: { userId: string; name: string; email: string }[];
  keepNotMembers: number;
};

export function driftReport(label: Pick<Label, 'id' | 'name'>, members: number, keep: number, drift: Drift): DriftReport {
  const wouldRemove = drift.removals.map((m) => ({ userId: m.userId, name: m.name, email: m.email }));
  return { label: label.id, name: label.name, members, keep, drift: drift.removals.length, wouldRemove, keepNotMembers: drift.keepNotMembers };
}

/** Most members a `--check` lists in words; `--json` lists them all. */
const LISTED = 100;

/** `--check` in words, for people. */
export function driftLines(r: DriftReport): string[] {
  const lines = [`reconcile --check ${labelTitle({ id: r.label, name: r.name })}: ${r.members} members, ${r.keep} on the keep list`];
  if (r.drift === 0) lines.push('  no drift: every member is on the keep list');
  else {
    lines.push(`  drift: ${r.drift} member(s) not on the keep list would be removed:`);
    for (const m of r.wouldRemove.slice(0, LISTED)) lines.push(`    ${m.userId}  ${m.name}  ${m.email}`);
    if (r.drift > LISTED) lines.push(`    … and ${r.drift - LISTED} more (--json lists them all)`);
  }
  if (r.keepNotMembers > 0) lines.push(`  ${r.keepNotMembers} user(s) on the keep list do not hold the label (reconcile never adds)`);
  return lines;
}
