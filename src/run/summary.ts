import { statuses, type Outcome, type Status } from '../rows/types.js';

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
  calls: number;
  retries: number;
  elapsedMs: number;
  pairsPerSecond: number;
  exitCode: number;
  stoppedBy?: 'auth' | 'credits' | 'interrupted' | undefined;
  batchSizeCap?: number | undefined;
  verified?: { by: 'label' | 'user' | 'none'; reads: number; failed: number } | undefined;
}

export function countStatuses(outcomes: Iterable<Outcome>): Record<Status, number> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<Status, number>;
  for (const o of outcomes) counts[o.status] += 1;
  return counts;
}

/** The human summary for stderr. */
export function formatSummary(s: RunSummary): string {
  const parts = statuses.filter((k) => s.counts[k] > 0).map((k) => `${s.counts[k]} ${k}`);
  const lines = [
    `${s.command}${s.dryRun ? ' (dry run: nothing was sent)' : ''}: ${s.rows} rows → ${parts.join(', ') || 'nothing to do'}`,
    s.dryRun
      ? `  plan: ${s.labels} labels, ${s.users} users, ${s.batches} batches (${s.grouping}), ${s.calls} calls`
      : `  ${s.calls} calls (${s.retries} retries), ${s.batches} batches (${s.grouping}), ${(s.elapsedMs / 1000).toFixed(1)} s, ${Math.round(s.pairsPerSecond)} pairs/s`,
  ];
  if (s.verified) {
    lines.push(
      `  verified by reading back ${s.verified.reads} ${s.verified.by === 'label' ? 'labels' : 'users'}: ${s.verified.failed === 0 ? 'every change confirmed' : `${s.verified.failed} NOT confirmed (verified=no in the results)`}`,
    );
  }
  if (s.batchSizeCap !== undefined) lines.push(`  Zoho refused the batch size: batches were cut to ${s.batchSizeCap} IDs; use --batch-size ${s.batchSizeCap} next time`);
  lines.push(`  results: ${s.out}`);
  return lines.join('\n') + '\n';
}
