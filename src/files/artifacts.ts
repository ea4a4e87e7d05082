import { constants, createReadStream } from 'node:fs';
import { access, mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse } from 'csv-parse';
import { InputError } from '../errors/InputError.js';
import { removeStaleTemps } from './atomic.js';

/**
 * The files of one run, all named from the results file's stem:
 * `leavers.results.csv` → `leavers.journal`, `leavers.manifest.json`,
 * `leavers.snapshot.csv` (retire-label), `leavers.plan.csv` (reconcile).
 */
export interface Artifacts {
  results: string;
  journal: string;
  manifest: string;
  snapshot: string;
  plan: string;
}

export const stemOf = (results: string): string => results.replace(/(\.results)?\.csv$/i, '');

export function artifactsFor(results: string): Artifacts {
  const stem = stemOf(results);
  return { results, journal: `${stem}.journal`, manifest: `${stem}.manifest.json`, snapshot: `${stem}.snapshot.csv`, plan: `${stem}.plan.csv` };
}

const why = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code === 'ENOTDIR' ? 'a part of the path is a file, not a folder' : (code ?? String(error));
};

/**
 * Checks, before anything is sent or written, that `file` can be written: not
 * a folder, in a folder that exists (it is made) and can be written. The
 * message names the file and the option it came from.
 */
export async function checkWritable(file: string, option: string): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new InputError(file, undefined, `${option} names a folder, not a file: give a file name (e.g. ${join(file, 'results.csv')})`);
  const folder = dirname(file);
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
    if (existing) await access(file, constants.W_OK);
  } catch (error) {
    throw new InputError(file, undefined, `cannot write ${option === '--out' ? 'the results' : option} here: ${why(error)}; choose another ${option}`, { cause: error });
  }
  await removeStaleTemps(file);
}

/** Whether two paths are the same file: the same real path, or (hard links) the same device and inode. */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  if (sa && sb) return sa.dev === sb.dev && sa.ino === sb.ino;
  const real = async (p: string) => join(await realpath(dirname(p)).catch(() => dirname(p)), basename(p));
  return (await real(a)) === (await real(b));
}

/** Refuses an output that is one of the run's inputs (through a symlink or a hard link too). */
export async function refuseOverwriting(output: string, option: string, inputs: readonly string[]): Promise<void> {
  for (const input of inputs) {
    if (await sameFile(output, input)) {
      throw new InputError(output, undefined, `${option} is the input ${input} itself${output === input ? '' : ' (through a link)'}: writing it would destroy the input; choose another ${option}`);
    }
  }
}

/** Refuses two outputs of one run that are the same file (`--snapshot` naming the results): one would overwrite the other. */
export async function refuseSharedOutputs(files: readonly { path: string; option: string; what: string }[]): Promise<void> {
  for (const [i, f] of files.entries()) {
    for (const g of files.slice(i + 1)) {
      if (await sameFile(f.path, g.path)) throw new InputError(g.path, undefined, `${g.option} names the file that holds ${f.what} (${f.option}): one would overwrite the other; choose another ${g.option}`);
    }
  }
}

/**
 * Statuses that record a write a later run must not lose. Not `not_member`:
 * it records that nothing needed writing (a dry run's lookups give it too); a
 * run that wrote something has a journal, which is checked on its own.
 */
const recorded = new Set(['removed', 'added', 'not_found', 'failed', 'deferred']);

/** Counts the data rows of a CSV, and the rows whose `status` column (if any) holds a record of a write. */
async function csvRecords(file: string): Promise<{ rows: number; records: number } | undefined> {
  const exists = await stat(file).catch(() => undefined);
  if (!exists?.isFile() || exists.size === 0) return undefined;
  let rows = 0;
  let records = 0;
  let statusAt = -2;
  try {
    for await (const record of createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true })) as AsyncIterable<string[]>) {
      if (statusAt === -2) {
        statusAt = record.findIndex((h) => h.trim().toLowerCase() === 'status');
        continue;
      }
      rows += 1;
      if (statusAt < 0 || recorded.has(record[statusAt]?.trim() ?? '')) records += 1;
    }
  } catch {
    return { rows, records: Math.max(records, 1) }; // unreadable: treat as holding records
  }
  return { rows, records };
}

/**
 * A fresh run must not replace the records of an earlier one: a results file
 * or journal that recorded writes (a snapshot: files/snapshots.ts). Refused
 * before anything is sent, saying how to go on. Files that record nothing (a
 * dry run's plan, an empty snapshot) are replaced.
 */
export async function refuseReplacingRecords(files: { path: string; what: string }[], resumeHint: string): Promise<void> {
  for (const { path, what } of files) {
    const found = await csvRecordsOrJournal(path);
    if (!found || found.records === 0) continue;
    throw new InputError(
      path,
      undefined,
      `holds ${what} of an earlier run (${found.records} record${found.records === 1 ? '' : 's'}); a new run would replace it. To continue that run: ${resumeHint}. To start a new one, give another --out (its files go beside it), or move this file away.`,
    );
  }
}

async function csvRecordsOrJournal(path: string): Promise<{ records: number } | undefined> {
  if (!path.endsWith('.journal')) return csvRecords(path);
  const exists = await stat(path).catch(() => undefined);
  if (!exists?.isFile()) return undefined;
  // A journal holds records once anything past its header line is in it.
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return { records: Math.max(0, lines.length - 1) };
}
