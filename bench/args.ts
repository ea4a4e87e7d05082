// The bench's command line: its usage, and its options read and checked.
// A mistake is a one-line message and exit 2 (bad usage, nothing run), as
// zdlabels itself answers; --help prints the usage and exits 0.
import { parseArgs } from 'node:util';

export const sections = ['side', 'hidden', 'scale'] as const;
export type Section = (typeof sections)[number];

const usage = `Usage: npm run bench [-- options]

Runs the emulator in its own process and zdlabels in its own, and prints each
figure as markdown with its ratio to its target, or to a floor or an ideal
measured in the same run (the machines are shared and noisy). Exit 0 when
every figure is within its target, 1 when one is over, 2 on a bad option.

Sections (all by default):
  side     issue 11: one call per pair vs batched vs zdlabels, 25 ms per call
  hidden   issue 11: --concurrency 25 against a hidden org limit of 5 and 10
  scale    issue 12: a million rows: the floor, --dry-run at two sizes, an
           uninterrupted live run against a fresh emulator, and a live run
           killed half way then --resume'd (its journal read against the floor)

Options:
  --only LIST   sections to run, comma-separated (default side,hidden,scale)
  --rows N      rows of the scale section's input (default 1000000, at least 100)
  --pairs N     pairs of the side-by-side section (default 2000)
  --runs N      runs of the floor and of each dry run, the best kept (default 3);
                the live runs run once
  -h, --help    this text

Example: npm run bench -- --only scale`;

export interface BenchArgs {
  only: Set<Section>;
  rows: number;
  pairs: number;
  runs: number;
}

class UsageError extends Error {}

function count(option: string, value: string, least = 1): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < least) throw new UsageError(`--${option} must be a whole number of ${least} or more, not '${value}'`);
  return n;
}

function onlyOf(value: string): Set<Section> {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((s) => !(sections as readonly string[]).includes(s));
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`--only takes a comma-separated list of ${sections.join(', ')}; '${unknown.join(',') || value}' is not a section`);
  return new Set(names as Section[]);
}

function parse(argv: string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '1000000' },
      pairs: { type: 'string', default: '2000' },
      only: { type: 'string', default: sections.join(',') },
      runs: { type: 'string', default: '3' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  return { only: onlyOf(values.only), rows: count('rows', values.rows, 100), pairs: count('pairs', values.pairs), runs: count('runs', values.runs) };
}

/** The bench's options; on --help prints the usage and exits 0, on a bad option prints what is wrong and exits 2. */
export function benchArgs(argv: string[]): BenchArgs {
  try {
    const parsed = parse(argv);
    if (parsed !== 'help') return parsed;
    console.log(usage);
    process.exit(0);
  } catch (error) {
    const known = error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
    if (!known) throw error;
    console.error(`bench: ${(error as Error).message}\nSee: npm run bench -- --help`);
    process.exit(2);
  }
}
