// Pure: the rules of `zdlabels prune`, from the command line or a job file.
import { UsageError } from '../errors/UsageError.js';
import type { MemberRow } from '../rows/membersCsv.js';
import type { UserStatus } from '../zoho/types.js';

const memberStatuses: readonly UserStatus[] = ['ACTIVE', 'DISABLED', 'DELETED'];

/** Who goes: members matching every rule given (they narrow each other). */
export interface PruneRules {
  /** The member list's status is one of these. */
  statuses: ReadonlySet<string> | undefined;
  /** No activity since this instant (none at all counts as none since). */
  inactiveSince: Date | undefined;
}

export interface RuleOptions {
  /** Statuses; a value may hold several, comma-separated. */
  status?: readonly string[] | undefined;
  /** A date (YYYY-MM-DD, UTC) or an ISO instant. */
  inactiveSince?: string | undefined;
  /** Days, as `180d`. */
  inactiveFor?: string | undefined;
}

function parseStatuses(values: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const v of values.flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase())) {
    if (!(memberStatuses as readonly string[]).includes(v)) throw new UsageError(`Expected --status to list ${memberStatuses.join(', ')} (comma-separated), got \`${v}\``);
    out.add(v);
  }
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

function parseCutoff(o: RuleOptions, now: Date): Date | undefined {
  if (o.inactiveSince !== undefined && o.inactiveFor !== undefined) throw new UsageError('Give --inactive-since or --inactive-for, not both');
  let cutoff: Date | undefined;
  if (o.inactiveSince !== undefined) {
    const v = o.inactiveSince.trim();
    cutoff = DATE.test(v) ? new Date(`${v}T00:00:00.000Z`) : INSTANT.test(v) ? new Date(v) : undefined;
    if (!cutoff || Number.isNaN(cutoff.getTime())) throw new UsageError(`Expected --inactive-since to be a date (2025-07-01, UTC) or an ISO instant (2025-07-01T09:00:00Z), got \`${v}\``);
  }
  if (o.inactiveFor !== undefined) {
    const days = /^([1-9]\d*)d$/.exec(o.inactiveFor.trim());
    if (!days) throw new UsageError(`Expected --inactive-for to be a number of days such as 180d, got \`${o.inactiveFor}\``);
    cutoff = new Date(now.getTime() - Number(days[1]) * 86_400_000);
  }
  if (cutoff && cutoff.getTime() > now.getTime()) throw new UsageError(`--inactive-since ${o.inactiveSince ?? ''} is in the future: everyone would count as inactive`);
  return cutoff;
}

/** The rules the options give; at least one (a keep file alone is `reconcile`). */
export function rulesOf(o: RuleOptions, now: Date): PruneRules {
  const statuses = o.status === undefined || o.status.length === 0 ? undefined : parseStatuses(o.status);
  const inactiveSince = parseCutoff(o, now);
  if (!statuses && !inactiveSince) throw new UsageError('Give at least one rule: --status DISABLED,DELETED, --inactive-since DATE or --inactive-for 180d');
  return { statuses, inactiveSince };
}

export const matchesStatus = (rules: PruneRules, m: MemberRow): boolean => !rules.statuses || rules.statuses.has(m.status);

/** The rules in words, for prompts and notes. */
export function describeRules(rules: PruneRules): string {
  const parts: string[] = [];
  if (rules.statuses) parts.push(`status ${[...rules.statuses].join(' or ')}`);
  if (rules.inactiveSince) parts.push(`no activity since ${rules.inactiveSince.toISOString()}`);
  return parts.join(' and ');
}

/** The labels a prune names: `--label` (IDs or names) or `--all-labels`, within `--help-center-id`. */
export interface PruneTarget {
  labels: readonly string[];
  allLabels: boolean;
  helpCenterId?: string | undefined;
}

/** The command line that finds the same labels and rules again (the cutoff as the instant it was), for the resume hint. */
export function resumeCommandLine(target: PruneTarget, rules: PruneRules, keepFile: string | undefined): string {
  const parts = ['zdlabels prune', ...(target.allLabels ? ['--all-labels'] : target.labels.map((l) => `--label ${JSON.stringify(l)}`))];
  if (target.helpCenterId !== undefined) parts.push(`--help-center-id ${target.helpCenterId}`);
  if (rules.statuses) parts.push(`--status ${[...rules.statuses].join(',')}`);
  if (rules.inactiveSince) parts.push(`--inactive-since ${rules.inactiveSince.toISOString()}`);
  if (keepFile !== undefined) parts.push(`--keep ${keepFile}`);
  return parts.join(' ');
}

/** Whether a user's last activity (ISO, or null: none known) is before the cutoff. */
export const inactiveAt = (lastAccessedTime: string | null, cutoff: Date): boolean => lastAccessedTime === null || Date.parse(lastAccessedTime) < cutoff.getTime();
