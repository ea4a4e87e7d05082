import { CommandLineError } from '../errors/CommandLineError.js';
import { optionTable } from './optionTable.js';

/** Flags that are on or off: from the table, and the few commands declare for themselves. */
const booleans = new Set([...Object.entries(optionTable).filter(([, o]) => 'type' in o && o.type === 'boolean').map(([k]) => k), 'probe']);
/** Options that take a word (a path, an ID, a name, a choice): from the table. Numbers have their own check, which says "got no value". */
const words = new Set(Object.entries(optionTable).filter(([, o]) => !('coerce' in o) && (!('type' in o) || o.type === 'string')).map(([k]) => k));

/**
 * What yargs lets through silently, checked on the words as typed: a flag
 * given a value other than true or false (yargs reads `--dry-run=yes` as
 * false: a dry run would send), and an option that takes a word given none
 * (`--out` then another flag would be read as an empty path).
 */
export function checkArgv(argv: readonly string[]): void {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  options.forEach((token, i) => {
    const m = /^--(no-)?([a-z][a-z-]*)(?:=(.*))?$/.exec(token);
    if (!m) return;
    const [, negated, name = '', value] = m;
    if (booleans.has(name) && value !== undefined && !/^(true|false)$/i.test(value)) {
      throw new CommandLineError(`Expected --${negated ?? ''}${name} alone (or =true, =false), got \`${token}\`: it is on or off`);
    }
    const next = options[i + 1];
    if (words.has(name) && !negated && value === undefined && (next === undefined || next.startsWith('--'))) {
      throw new CommandLineError(`Expected a value after --${name}, got nothing`);
    }
    if (words.has(name) && value === '') throw new CommandLineError(`Expected a value after --${name}=, got nothing`);
  });
}

/** Whether the command line asks for JSON logs (so that even an error in it is reported as JSON). */
export const wantsJsonLogs = (argv: readonly string[]): boolean => argv.some((t, i) => t === '--log-format=json' || (t === '--log-format' && argv[i + 1] === 'json'));
