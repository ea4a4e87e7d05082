import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { InputError } from '../errors/InputError.js';

/** The memberships (`user:label`) a members CSV lists; undefined when there is no such file. */
async function listed(path: string): Promise<Set<string> | undefined> {
  const found = await stat(path).catch(() => undefined);
  if (!found?.isFile() || found.size === 0) return undefined;
  const pairs = new Set<string>();
  let at: { user: number; label: number } | undefined;
  for await (const record of createReadStream(path).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true })) as AsyncIterable<string[]>) {
    if (!at) {
      const names = record.map((h) => h.trim().toLowerCase());
      at = { user: names.indexOf('user_id'), label: names.indexOf('label_id') };
      continue;
    }
    pairs.add(`${record[at.user] ?? ''}:${record[at.label] ?? ''}`);
  }
  return pairs;
}

/**
 * A new snapshot must not lose what an earlier one recorded: when the file at
 * `path` lists memberships that `members` no longer holds (an earlier run
 * removed them), writing over it would lose the only list of who held the
 * label. Refused before anything is written or sent. A snapshot that the new
 * one still covers (a dry run's, or one from before an interrupted start) is
 * replaced.
 */
export async function refuseLosingMembers(path: string, option: string, members: readonly { userId: string; labelId: string }[], resumeHint: string): Promise<void> {
  const before = await listed(path).catch(() => new Set(['unreadable']));
  if (!before) return;
  const now = new Set(members.map((m) => `${m.userId}:${m.labelId}`));
  const lost = [...before].filter((p) => !now.has(p)).length;
  if (lost === 0) return;
  throw new InputError(
    path,
    undefined,
    `holds the snapshot of an earlier run, listing ${lost} membership${lost === 1 ? '' : 's'} that no longer exist${lost === 1 ? 's' : ''} (that run removed ${lost === 1 ? 'it' : 'them'}?); a new snapshot would lose that record. To continue that run: ${resumeHint}. To start a new one, give another ${option} (its files go beside it), or move this file away.`,
  );
}
