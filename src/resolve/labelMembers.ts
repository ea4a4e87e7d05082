import PQueue from 'p-queue';
import { UsageError } from '../errors/UsageError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { MemberRow } from '../rows/membersCsv.js';
import type { ZohoClient } from '../zoho/client.js';
import { listAll } from '../zoho/pager.js';
import { retryRead } from '../run/retry.js';
import type { Label } from '../zoho/types.js';

/** Every member of a label, paged by 50. */
export async function labelMembers(client: ZohoClient, labelId: string): Promise<MemberRow[]> {
  const members = await listAll(client, 'listLabelUsers', { path: { labelId } }, retryRead);
  return members.map((m) => ({ userId: m.id, labelId, name: m.name ?? '', email: m.emailAddress ?? '', assignedTime: m.assignedTime ?? '', status: m.status ?? '' }));
}

/**
 * The members of each label, read `concurrency` labels at a time (each label
 * paged by 50); undefined for a label that does not exist.
 */
export async function membersOfLabels(client: ZohoClient, labelIds: Iterable<string>, concurrency: number): Promise<Map<string, MemberRow[] | undefined>> {
  const out = new Map<string, MemberRow[] | undefined>();
  const queue = new PQueue({ concurrency });
  const read = async (labelId: string): Promise<void> => {
    try {
      out.set(labelId, await labelMembers(client, labelId));
    } catch (error) {
      if (!(error instanceof ZohoApiError && error.kind === 'not_found')) throw error;
      out.set(labelId, undefined);
    }
  };
  await Promise.all([...new Set(labelIds)].map((id) => queue.add(() => read(id))));
  return out;
}

/** The label, or a usage error (exit 2, nothing sent) when the organization has no such label. */
export async function findLabel(client: ZohoClient, labelId: string): Promise<Label> {
  try {
    return await retryRead(() => client.call('getLabel', { path: { labelId } }));
  } catch (error) {
    if (error instanceof ZohoApiError && error.kind === 'not_found') {
      throw new UsageError(`--label ${labelId}: no such label in this organization (\`zdlabels doctor\` lists the labels)`, { cause: error });
    }
    throw error;
  }
}
