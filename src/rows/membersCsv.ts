import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../files/atomic.js';
import { escapeFormula } from './results.js';

/** One label membership as exported: the first two columns make it valid `remove` input. */
export interface MemberRow {
  userId: string;
  labelId: string;
  name: string;
  email: string;
  assignedTime: string;
  /** ACTIVE, DISABLED or DELETED as the member list says ('' when it does not); not written to the CSV. */
  status: string;
}

const memberColumns = ['user_id', 'label_id', 'name', 'email', 'assigned_time'];

export function membersCsv(rows: readonly MemberRow[]): string {
  return stringify(
    rows.map((r) => [r.userId, r.labelId, r.name, r.email, r.assignedTime].map(escapeFormula)),
    { header: true, columns: memberColumns },
  );
}

/** Writes members atomically (files/atomic.ts: no temp file is left if it fails), making its folder first. */
export async function writeMembers(path: string, rows: readonly MemberRow[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, membersCsv(rows));
}
