import { UsageError } from '../errors/UsageError.js';
import type { RunOptions } from '../run/flow.js';

function integer(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new UsageError(`Expected --${name} to be an integer ≥ ${min}, got \`${String(value)}\``);
  }
  return value;
}

/** Checks the shared run options before anything is read or sent. */
export function validateRunOptions(o: RunOptions): void {
  integer('concurrency', o.concurrency, 1);
  integer('batch-size', o.batchSize, 1);
  integer('retries', o.retries, 0);
  if (o.maxRemovals !== undefined) integer('max-removals', o.maxRemovals, 0);
  if (o.reserveCredits !== undefined) integer('reserve-credits', o.reserveCredits, 0);
  if (o.maxCalls !== undefined) integer('max-calls', o.maxCalls, 1);
  if (o.helpCenterId !== undefined) checkId('help-center-id', o.helpCenterId);
  if (o.dryRun && o.resume) throw new UsageError('--dry-run and --resume do not go together: a dry run sends nothing to resume');
}

export function checkId(option: string, value: string): string {
  if (!/^\d+$/.test(value)) throw new UsageError(`Expected --${option} to be a Zoho ID (digits only), got \`${value}\``);
  return value;
}
