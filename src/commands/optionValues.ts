// How an option's value is checked: every check of the command line (and of
// the same values from a job or a caller) goes through these, and every refusal
// shows the value received (p-queue's habit).
import { CommandLineError } from '../errors/CommandLineError.js';
import { shorten } from '../errors/shorten.js';
import { zohoIdProblem } from '../zoho/ids.js';

export interface NumberRule {
  integer: boolean;
  /** Smallest value allowed (`above`: smallest excluded). */
  min: number;
  above?: boolean;
  max?: number;
  /** What is expected, in words, when the bounds alone would say it less well ("a probability from 0 to 1"). */
  words?: string;
}

function expected(name: string, rule: NumberRule): string {
  if (rule.words !== undefined) return `Expected --${name} to be ${rule.words}`;
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
export function numberOption(name: string, describe: string, rule: NumberRule, shownDefault?: number | string) {
  return {
    describe,
    ...(shownDefault === undefined ? {} : { defaultDescription: String(shownDefault) }),
    coerce: (raw: unknown): number => numberValue(name, raw, rule),
  };
}

/** An ID given as an option: the same rule as an ID cell of a CSV (src/zoho/ids.ts). */
export function checkId(option: string, value: string): string {
  const problem = zohoIdProblem(value);
  if (problem !== undefined) throw new CommandLineError(`Expected --${option} to be a Zoho ID, got \`${shorten(value)}\` (${problem})`);
  return value;
}
