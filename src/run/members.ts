import { UsageError } from '../errors/UsageError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { MemberRow } from '../rows/members.js';
import type { ZohoClient } from '../zoho/client.js';
import { listAll } from '../zoho/pager.js';
import { retryRead } from './retry.js';
import type { Label } from '../zoho/types.js';

/** Every member of a label, paged by 50. */
export async function labelMembers(client: ZohoClient, labelId: string): Promise<MemberRow[]> {
  const members = await listAll(client, 'listLabelUsers', { path: { labelId } }, retryRead);
  return members.map((m) => ({ userId: m.id, labelId, name: m.name ?? '', email: m.emailAddress ?? '', assignedTime: m.assignedTime ?? '', status: m.status ?? '' }));
}

/** The label, or a usage error (exit 2, nothing sent) when the organization has no such label. */
export async function findLabel(client: ZohoClient, labelId: string): Promise<Label> {
  try {
    return await retryRead(() => client.call('getLabel', { path: { labelId } }));
  } catch (error) {
    if (error instanceof ZohoApiError && error.kind === 'not_found') {
      throw new UsageError(`--label ${labelId}: no such label in this organization (\`zdlabels doctor\` lists the labels)`);
    }
    throw error;
  }
}
