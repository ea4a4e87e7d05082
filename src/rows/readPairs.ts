import { forEachRecord } from './csvFile.js';
import { sha256File } from './digest.js';
import { checkIdCell } from './ids.js';
import type { InputRow } from './types.js';

export interface ReadPairsResult {
  rows: InputRow[];
  headers: string[];
}

/**
 * Reads a CSV of (user, label) pairs as a stream. File-level problems throw an
 * InputError; a bad row is kept with its problem so it can be reported in the
 * results, and the others go on. The same pair twice: the later row is a duplicate.
 */
export async function readPairs(file: string): Promise<ReadPairsResult> {
  const rows: InputRow[] = [];
  const seen = new Map<string, number>();
  const { headers } = await forEachRecord(file, { userid: 'user_id', labelid: 'label_id' }, (cells, line, { index }) => {
    const row = rows.length + 1;
    const rawUser = cells[index.userid!];
    const rawLabel = cells[index.labelid!];
    const user = checkIdCell('user_id', rawUser);
    const label = checkIdCell('label_id', rawLabel);
    const base = {
      row,
      line,
      userId: 'id' in user ? user.id : (rawUser ?? '').trim(),
      labelId: 'id' in label ? label.id : (rawLabel ?? '').trim(),
    };
    if (!('id' in user) || !('id' in label)) {
      const message = [user, label].flatMap((c) => ('problem' in c ? [c.problem] : [])).join('; ');
      rows.push({ ...base, problem: { status: 'invalid', message } });
      return;
    }
    const key = `${base.userId}:${base.labelId}`;
    const first = seen.get(key);
    if (first !== undefined) {
      rows.push({ ...base, problem: { status: 'duplicate', message: `same pair as row ${first}` } });
      return;
    }
    seen.set(key, row);
    rows.push(base);
  });
  return { rows, headers };
}

/** The rows of a pairs CSV and what ties a journal to it (its path and SHA-256). */
export async function pairsSource(file: string): Promise<{ rows: InputRow[]; source: { path: string; sha256: string } }> {
  const { rows } = await readPairs(file);
  return { rows, source: { path: file, sha256: await sha256File(file) } };
}
