import pLimit from 'p-limit';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { Outcome } from '../rows/types.js';
import type { ZohoClient } from '../zoho/client.js';
import { listAll } from '../zoho/pager.js';
import { retryRead } from './retry.js';

export interface VerifyResult {
  /** 'label': read the touched labels' members; 'user': the touched users' labels. */
  by: 'label' | 'user' | 'none';
  targets: number;
  failed: number;
}

/**
 * Reads back what the writes changed and marks each written row `verified`
 * yes or no. Reads whichever side has fewer distinct IDs (each costs at least
 * one paged list call): the touched labels' members or the touched users' labels.
 */
export async function verifyOutcomes(
  client: ZohoClient,
  outcomes: Outcome[],
  options: { action: 'remove' | 'add'; concurrency: number; helpCenterId?: string | undefined },
): Promise<VerifyResult> {
  const written = outcomes.filter((o) => o.status === 'removed' || o.status === 'added');
  if (written.length === 0) return { by: 'none', targets: 0, failed: 0 };
  const labels = [...new Set(written.map((o) => o.labelId))];
  const users = [...new Set(written.map((o) => o.userId))];
  const by = labels.length <= users.length ? 'label' : 'user';
  const held = new Set<string>();
  const limit = pLimit(options.concurrency);
  const keys = by === 'label' ? labels : users;
  const unreadable = new Set<string>();
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        try {
          if (by === 'label') {
            const members = await listAll(client, 'listLabelUsers', { path: { labelId: key } }, retryRead);
            for (const m of members) held.add(`${m.id}:${key}`);
          } else {
            const query = options.helpCenterId === undefined ? {} : { helpCenterId: options.helpCenterId };
            const labelsOfUser = await listAll(client, 'listUserLabels', { path: { userId: key }, query }, retryRead);
            for (const l of labelsOfUser) held.add(`${key}:${l.id}`);
          }
        } catch (error) {
          // A label or user that is gone holds nothing; anything else leaves its rows unverified.
          if (!(error instanceof ZohoApiError && error.status === 404)) unreadable.add(key);
        }
      }),
    ),
  );
  let failed = 0;
  for (const o of written) {
    if (unreadable.has(by === 'label' ? o.labelId : o.userId)) {
      o.verified = 'no';
      o.message = [o.message, 'could not be read back to verify'].filter(Boolean).join('; ');
      failed += 1;
      continue;
    }
    const present = held.has(`${o.userId}:${o.labelId}`);
    const ok = options.action === 'remove' ? !present : present;
    o.verified = ok ? 'yes' : 'no';
    if (!ok) {
      failed += 1;
      o.message = options.action === 'remove' ? 'Zoho answered success, but the user still holds the label' : 'Zoho answered success, but the user does not hold the label';
    }
  }
  return { by, targets: keys.length, failed };
}
