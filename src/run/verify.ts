import PQueue from 'p-queue';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { OutcomeStore } from '../rows/outcomes.js';
import { labelIdOf, userIdOf, type RowTable } from '../rows/table.js';
import type { ZohoClient } from '../zoho/client.js';
import { listAll } from '../zoho/pager.js';
import { retryRead } from './retry.js';

export interface VerifyResult {
  /** 'label': read the touched labels' members; 'user': the touched users' labels. */
  by: 'label' | 'user' | 'none';
  targets: number;
  failed: number;
  /** One mark per written row: whether the read-back confirmed it, and why not. */
  marks: { row: number; ok: boolean; why?: string }[];
}

/**
 * Reads back what the writes changed and says, for each written row, whether
 * the read confirms it (the caller records it). Reads whichever side has fewer distinct IDs (each costs at least
 * one paged list call): the touched labels' members or the touched users' labels.
 */
export async function verifyOutcomes(
  client: ZohoClient,
  table: RowTable,
  outcomes: Pick<OutcomeStore, 'status'>,
  options: { action: 'remove' | 'add'; concurrency: number; helpCenterId?: string | undefined },
): Promise<VerifyResult> {
  const written: number[] = [];
  for (let i = 0; i < table.size; i += 1) {
    const s = outcomes.status(i);
    if (s === 'removed' || s === 'added') written.push(i);
  }
  if (written.length === 0) return { by: 'none', targets: 0, failed: 0, marks: [] };
  const labels = new Set(written.map((i) => labelIdOf(table, i)));
  const users = new Set(written.map((i) => userIdOf(table, i)));
  const by = labels.size <= users.size ? 'label' : 'user';
  const keys = [...(by === 'label' ? labels : users)];
  const held = new Set<string>();
  const unreadable = new Set<string>();
  const queue = new PQueue({ concurrency: options.concurrency });
  const read = async (key: string): Promise<void> => {
    try {
      if (by === 'label') {
        for (const m of await listAll(client, 'listLabelUsers', { path: { labelId: key } }, retryRead)) held.add(`${m.id}:${key}`);
      } else {
        const query = options.helpCenterId === undefined ? {} : { helpCenterId: options.helpCenterId };
        for (const l of await listAll(client, 'listUserLabels', { path: { userId: key }, query }, retryRead)) held.add(`${key}:${l.id}`);
      }
    } catch (error) {
      // A label or user that is gone holds nothing; anything else leaves its rows unverified.
      if (!(error instanceof ZohoApiError && error.status === 404)) unreadable.add(key);
    }
  };
  await Promise.all(keys.map((key) => queue.add(() => read(key))));
  const marks = written.map((row): VerifyResult['marks'][number] => {
    const user = userIdOf(table, row);
    const label = labelIdOf(table, row);
    if (unreadable.has(by === 'label' ? label : user)) return { row, ok: false, why: 'could not be read back to verify' };
    const present = held.has(`${user}:${label}`);
    if (options.action === 'remove' ? !present : present) return { row, ok: true };
    return { row, ok: false, why: options.action === 'remove' ? 'Zoho answered success, but the user still holds the label' : 'Zoho answered success, but the user does not hold the label' };
  });
  return { by, targets: keys.length, failed: marks.filter((m) => !m.ok).length, marks };
}
