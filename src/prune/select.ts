import type { MemberRow } from '../rows/membersCsv.js';
import { membersOfLabels } from '../resolve/labelMembers.js';
import { labelTitle } from '../resolve/labelNames.js';
import type { ZohoClient } from '../zoho/client.js';
import type { Label } from '../zoho/types.js';
import { inactiveSince } from './activity.js';
import { describeRules, matchesStatus, type PruneRules } from './rules.js';

/** One label: its members as read, who the rules remove, and how many the keep list saved. */
interface LabelPrune {
  label: Label;
  members: MemberRow[];
  removals: MemberRow[];
  kept: number;
}

export interface Selection {
  labels: LabelPrune[];
  /** How last activity was read (undefined without an inactivity rule). */
  activity: string | undefined;
}

/**
 * Reads the members of each label and picks those matching every rule (status
 * from the member list; last activity read the cheaper way), never anyone on
 * the keep list.
 */
export async function selectRemovals(client: ZohoClient, labels: readonly Label[], rules: PruneRules, keep: ReadonlySet<string>, concurrency: number): Promise<Selection> {
  // A label gone since it was picked has no members to lose.
  const all = await membersOfLabels(client, labels.map((l) => l.id), concurrency);
  const read = labels.map((label) => {
    const members = all.get(label.id) ?? [];
    return { label, members, matched: members.filter((m) => matchesStatus(rules, m)) };
  });
  let activity: string | undefined;
  if (rules.inactiveSince) {
    // Only members the other rules already chose, and nobody the keep list saves, need their activity read.
    const candidates = new Map<string, string>();
    for (const r of read) for (const m of r.matched) if (!keep.has(m.userId)) candidates.set(m.userId, r.label.helpCenterId ?? '');
    const found = await inactiveSince(client, candidates, rules.inactiveSince, concurrency);
    activity = found.how;
    for (const r of read) r.matched = r.matched.filter((m) => keep.has(m.userId) || found.inactive.has(m.userId));
  }
  return {
    labels: read.map((r) => ({ label: r.label, members: r.members, removals: r.matched.filter((m) => !keep.has(m.userId)), kept: r.matched.filter((m) => keep.has(m.userId)).length })),
    activity,
  };
}

/**
 * The guard: by default no label may lose more than half its members (rules
 * gone wrong, a clock far off); `--max-removals N` replaces that with a cap
 * on all removals. The refusal, or undefined when within.
 */
export function limitProblem(selection: Selection, maxRemovals: number | undefined): string | undefined {
  const after = '; nothing was sent. Check the rules, or pass --max-removals N (the most removals in all) if this is intended.';
  if (maxRemovals !== undefined) {
    const total = selection.labels.reduce((n, l) => n + l.removals.length, 0);
    return total > maxRemovals ? `prune would remove ${total} memberships, more than --max-removals ${maxRemovals}${after}` : undefined;
  }
  const over = selection.labels.filter((l) => l.removals.length * 2 > l.members.length);
  if (over.length === 0) return undefined;
  return `prune would remove more than half the members of ${over.length} label(s): ${over.map((l) => `${labelTitle(l.label)} ${l.removals.length} of ${l.members.length}`).join(', ')}${after}`;
}

/** One line a label, said after the summary. */
export const selectionNotes = (selection: Selection, rules: PruneRules): string[] =>
  selection.labels.map((l) => {
    const kept = l.kept > 0 ? `, ${l.kept} kept by the keep file` : '';
    return `prune ${labelTitle(l.label)}: ${l.members.length} members, ${l.removals.length} matched the rules (${describeRules(rules)})${kept}; nobody is ever added`;
  });
