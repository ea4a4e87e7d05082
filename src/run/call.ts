// A work as a write call: the endpoint its side and action take, the label or
// user in its path, and the IDs on the other side (by user: in the JSON body,
// or in the query).
import { labelIdOf, userIdOf, type RowTable } from '../rows/table.js';
import type { MassActionResponse } from '../zoho/types.js';
import type { ExecutorOptions } from './execution.js';
import type { SentBatch } from './verdict.js';
import type { Work } from './work.js';

/** The IDs a work sends: a label's users, or a user's labels. */
function idsOf(table: RowTable, work: Work): string[] {
  return [...work.batch.rows].map((r) => (work.batch.by === 'label' ? userIdOf(table, r) : labelIdOf(table, r)));
}

/** The label or user in a work's path. */
export function keyOf(table: RowTable, work: Work): string {
  return work.batch.by === 'label' ? table.labels.value(work.batch.key) : table.users.value(work.batch.key);
}

/** A work as the pure verdicts see it. */
export function sentOf(table: RowTable, work: Work): SentBatch {
  return { by: work.batch.by, rows: work.batch.rows, ids: idsOf(table, work) };
}

/** Sends a work's call. By user, `labelIds` go in the query once the run settled on it (`inQuery`) or a trial sends them so. */
export function sendWork(o: Pick<ExecutorOptions, 'client' | 'table' | 'action' | 'helpCenterId'>, work: Work, inQuery: boolean): Promise<MassActionResponse | undefined> {
  const { client, action, helpCenterId } = o;
  const ids = idsOf(o.table, work);
  const key = keyOf(o.table, work);
  if (work.batch.by === 'label') {
    return client.call(action === 'add' ? 'addUsersToLabel' : 'removeUsersFromLabel', { path: { labelId: key }, body: { userIds: ids } }).then(() => undefined);
  }
  if (action === 'add') throw new TypeError('adding is planned by label only');
  work.query ??= inQuery ? true : undefined;
  const hc = helpCenterId === undefined ? {} : { helpCenterId };
  return work.query
    ? client.call('removeLabelsFromUser', { path: { userId: key }, query: { ...hc, labelIds: ids.join(',') }, body: undefined })
    : client.call('removeLabelsFromUser', { path: { userId: key }, query: hc, body: { labelIds: ids } });
}
