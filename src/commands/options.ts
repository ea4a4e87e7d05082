import { CommandLineError } from '../errors/CommandLineError.js';
import { shorten } from '../errors/shorten.js';
import type { RunOptions } from '../run/flow.js';
import { zohoIdProblem } from '../zoho/ids.js';

/** Defaults of the numeric run options, when neither the command line nor a job gives one. */
export const runDefaults = { concurrency: 5, batchSize: 50, retries: 5, timeoutSeconds: 30 } as const;

export interface NumberRule {
  integer: boolean;
  /** Smallest value allowed (`above`: smallest excluded). */
  min: number;
  above?: boolean;
  max?: number;
}

function expected(name: string, rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  const range = [Number.isFinite(rule.min) ? ` ${rule.above ? '>' : '≥'} ${rule.min}` : '', rule.max === undefined ? '' : ` and ≤ ${rule.max}`].join('');
  return `Expected --${name} to be ${kind}${range}`;
}

/**
 * The value of a numeric option as given. yargs is given no `type` and no
 * `default` for these, so a flag without a value arrives as `true` (not as the
 * default, silently) and `abc` as the text typed (not as NaN).
 */
export function numberValue(name: string, raw: unknown, rule: NumberRule): number {
  if (Array.isArray(raw)) throw new CommandLineError(`--${name} was given ${raw.length} times (${shorten(raw.join(', '))}); give it once`);
  if (raw === true || raw === false || raw === '' || raw === undefined) throw new CommandLineError(`${expected(name, rule)}, got no value`);
  const text = String(raw).trim();
  const value = typeof raw === 'number' ? raw : /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  const fits = !Number.isNaN(value) && (!rule.integer || Number.isInteger(value)) && (rule.above ? value > rule.min : value >= rule.min) && (rule.max === undefined || value <= rule.max);
  if (!fits) throw new CommandLineError(`${expected(name, rule)}, got \`${shorten(String(raw))}\``);
  return value;
}

/** A yargs option whose value is checked by numberValue; the default only shows in --help (the caller applies it). */
export function numberOption(name: string, describe: string, rule: NumberRule, shownDefault?: number) {
  return {
    describe,
    ...(shownDefault === undefined ? {} : { defaultDescription: String(shownDefault) }),
    coerce: (raw: unknown): number => numberValue(name, raw, rule),
  };
}

/** The rules of the run options shared by every writing command and `run`. */
export const numberRules = {
  concurrency: { integer: true, min: 1 },
  batchSize: { integer: true, min: 1 },
  retries: { integer: true, min: 0 },
  maxRemovals: { integer: true, min: 0 },
  reserveCredits: { integer: true, min: 0 },
  maxCalls: { integer: true, min: 1 },
  // 0 is refused rather than read as "no timeout": a call that never ends would
  // hold a scheduled job's lock for ever. ky refuses more than 2^31 - 1 ms.
  timeout: { integer: false, min: 0, above: true, max: 86_400 },
  // `run`: the value must be there and be a number; its range is the job schema's, checked with the job's own keys.
  any: { integer: false, min: Number.NEGATIVE_INFINITY },
} as const satisfies Record<string, NumberRule>;

/** Checks the shared run options before anything is read or sent. */
export function validateRunOptions(o: RunOptions): void {
  numberValue('concurrency', o.concurrency, numberRules.concurrency);
  numberValue('batch-size', o.batchSize, numberRules.batchSize);
  numberValue('retries', o.retries, numberRules.retries);
  if (o.maxRemovals !== undefined) numberValue('max-removals', o.maxRemovals, numberRules.maxRemovals);
  if (o.reserveCredits !== undefined) numberValue('reserve-credits', o.reserveCredits, numberRules.reserveCredits);
  if (o.maxCalls !== undefined) numberValue('max-calls', o.maxCalls, numberRules.maxCalls);
  if (o.helpCenterId !== undefined) checkId('help-center-id', o.helpCenterId);
  if (o.dryRun && o.resume) throw new CommandLineError('--dry-run and --resume do not go together: a dry run sends nothing to resume');
}

/** An ID given as an option: the same rule as an ID cell of a CSV (src/zoho/ids.ts). */
export function checkId(option: string, value: string): string {
  const problem = zohoIdProblem(value);
  if (problem !== undefined) throw new CommandLineError(`Expected --${option} to be a Zoho ID, got \`${shorten(value)}\` (${problem})`);
  return value;
}
