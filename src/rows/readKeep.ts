import { InputError } from '../errors/InputError.js';
import { forEachRecord } from './csvFile.js';
import { checkIdCell } from './idCells.js';

/**
 * Reads a keep file: the users who should hold a label (a `user_id` column).
 * A desired-state file must be exact, so any bad ID refuses the whole file.
 */
export async function readKeep(file: string): Promise<Set<string>> {
  const keep = new Set<string>();
  const problems: string[] = [];
  await forEachRecord(file, { userid: 'user_id' }, (cells, line, { index }) => {
    const checked = checkIdCell('user_id', cells[index.userid!]);
    if ('id' in checked) keep.add(checked.id);
    else problems.push(`line ${line}: ${checked.problem}`);
  });
  if (problems.length > 0) {
    throw new InputError(file, undefined, `${problems.length} bad row(s) in the keep file, so nothing was sent: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
  }
  return keep;
}
