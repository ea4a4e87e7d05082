import { statuses, type Status } from '../rows/types.js';
import type { GuardReport } from './guard.js';
import type { StopReason } from './stop.js';

/** API credits: what the plan needs (estimated from Zoho's table) and what Zoho said is left. */
export interface CreditReport {
  /** Write calls of the plan, one credit each. */
  writes: number;
  /** Reads for the first-write guard and --verify (list pages cost 3): an estimate. */
  reads: number;
  /** The part of `reads` that is the guard's (a floor: it lists a whole label, 3 per page of 50 members). */
  guardReads: number;
  /** Credits this run spent, as Zoho reported them (0 on a dry run). */
  spent: number;
  /** The org's remaining credits after the run, when Zoho said. */
  remaining: number | undefined;
  /** Whether Zoho's answers reported the remaining credits (false: an accepted answer came without them). */
  reported?: boolean | undefined;
  /** Some answers did not say what they weighed: `spent` holds Zoho's table's weight for them. */
  estimated?: boolean | undefined;
}

export interface RunSummary {
  command: string;
  input: string;
  out: string;
  dryRun: boolean;
  grouping: string;
  rows: number;
  counts: Record<Status, number>;
  labels: number;
  users: number;
  batches: number;
  /** Write calls sent (the plan's calls on a dry run). */
  calls: number;
  /** Every API call made, reads included. */
  apiCalls: number;
  retries: number;
  elapsedMs: number;
  pairsPerSecond: number;
  exitCode: number;
  stoppedBy?: StopReason | undefined;
  batchSizeCap?: number | undefined;
  verified?: { by: 'label' | 'user' | 'none'; reads: number; failed: number } | undefined;
  guard?: GuardReport | undefined;
  /** Where by-user calls carried labelIds (the spec says the body; the query is the fallback). */
  labelIdsIn?: 'body' | 'query' | undefined;
  splitCalls?: number | undefined;
  credits: CreditReport;
}

/** What a live run's calls weighed, and what Zoho said is left (or that it did not say). */
function creditsSpent(c: CreditReport): string {
  const weighed = c.estimated ? `about ${c.spent} (Zoho's credit table: its answers did not say)` : String(c.spent);
  const left =
    c.remaining !== undefined ? `; ${c.remaining} left for the organization today`
    : c.reported === false ? "; left for the organization: unknown (Zoho's answers did not report it)"
    : '';
  return `credits: the plan needed about ${c.writes + c.reads}; this run's calls weighed ${weighed}${left}`;
}

/** The human summary for stderr. */
export function formatSummary(s: RunSummary): string {
  const parts = statuses.filter((k) => s.counts[k] > 0).map((k) => `${s.counts[k]} ${k}`);
  const credits = `credits: the plan needs about ${s.credits.writes + s.credits.reads} (${s.credits.writes} writes + ~${s.credits.reads} reads${s.credits.guardReads > 0 ? '; more if the label the guard lists is big: 3 per page of 50 members' : ''})`;
  const lines = [
    `${s.command}${s.dryRun ? ' (dry run: nothing was sent)' : ''}: ${s.rows} rows → ${parts.join(', ') || 'nothing to do'}`,
    s.dryRun
      ? `  plan: ${s.labels} labels, ${s.users} users, ${s.batches} batches (${s.grouping}), ${s.calls} calls; ${credits}${s.credits.remaining === undefined ? '' : `; Zoho says ${s.credits.remaining} are left for the organization today`}`
      : `  ${s.calls} calls (${s.retries} retries${s.splitCalls ? `, ${s.splitCalls} to isolate refused IDs` : ''}), ${s.apiCalls} API calls in all, ${s.batches} batches (${s.grouping}), ${(s.elapsedMs / 1000).toFixed(1)} s, ${Math.round(s.pairsPerSecond)} pairs/s`,
  ];
  if (!s.dryRun) lines.push(`  ${creditsSpent(s.credits)}`);
  if (s.guard) lines.push(`  first-write guard: ${s.guard.outcome === 'tripped' ? 'TRIPPED' : s.guard.outcome === 'error' ? 'could not run' : s.guard.outcome} (${s.guard.note})`);
  if (s.labelIdsIn === 'query') lines.push('  by user: Zoho refused labelIds in the body and took them in the query; the manifest records it');
  if (s.verified) {
    lines.push(
      `  verified by reading back ${s.verified.reads} ${s.verified.by === 'label' ? 'labels' : 'users'}: ${s.verified.failed === 0 ? 'every change confirmed' : `${s.verified.failed} NOT confirmed (verified=no in the results)`}`,
    );
  }
  if (s.batchSizeCap !== undefined) lines.push(`  Zoho refused the batch size: batches were cut to ${s.batchSizeCap} IDs; use --batch-size ${s.batchSizeCap} next time`);
  lines.push(`  results: ${s.out}`);
  return lines.join('\n') + '\n';
}
