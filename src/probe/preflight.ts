// Before the probe writes anything: the label and user exist, U holds L, the
// footprint is small (or --yes), and an ID no user has is at hand.
import { UsageError } from '../errors/UsageError.js';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { findLabel } from '../resolve/labelMembers.js';
import { retryRead } from '../run/retry.js';
import type { ZohoClient } from '../zoho/client.js';
import type { Label, User } from '../zoho/types.js';
import { readHoldings, type Holdings } from './holdings.js';

/** Most members of the label (and labels of the user) the probe touches without --yes. */
export const SMALL_FOOTPRINT = 10;

export interface Start {
  label: Label;
  user: User;
  holdings: Holdings;
  unknownId: string;
}

async function findUser(client: ZohoClient, userId: string): Promise<User> {
  try {
    return await retryRead(() => client.call('getUser', { path: { userId }, query: {} }));
  } catch (error) {
    if (error instanceof ZohoApiError && error.kind === 'not_found') {
      throw new UsageError(`--user ${userId}: no such user in this organization (\`zdlabels export --label ID\` lists a label's members)`, { cause: error });
    }
    throw error;
  }
}

/** Pure: IDs of U's length that keep U's leading digits and end in 999999, 999998, … (never U itself). */
export function unknownCandidates(userId: string, count = 5): string[] {
  const tail = Math.min(6, Math.max(1, userId.length - 1));
  const head = userId.slice(0, userId.length - tail);
  const out: string[] = [];
  for (let i = 0; out.length < count && i < 10 ** tail; i += 1) {
    const id = head + String(10 ** tail - 1 - i).padStart(tail, '0');
    if (id !== userId) out.push(id);
  }
  return out;
}

/** An ID shaped like U's that no user has: Zoho answers 404 to reading it. */
async function unknownUserId(client: ZohoClient, userId: string): Promise<string> {
  for (const id of unknownCandidates(userId)) {
    try {
      await retryRead(() => client.call('getUser', { path: { userId: id }, query: {} }));
    } catch (error) {
      if (error instanceof ZohoApiError && error.status === 404) return id;
      throw error;
    }
  }
  throw new ZdlabelsError('API', `every ID tried as an unknown user near ${userId} (${unknownCandidates(userId).join(', ')}) belongs to a user; nothing was sent`);
}

/** Pure: refuses a footprint the probe could empty, unless --yes. */
export function checkFootprint(label: Label, userId: string, h: Holdings, yes: boolean): void {
  if (yes || (h.members.size <= SMALL_FOOTPRINT && h.userLabels.size <= SMALL_FOOTPRINT)) return;
  throw new ZdlabelsError(
    'SAFETY_LIMIT',
    `label ${label.id} ("${label.name ?? ''}") has ${h.members.size} members and user ${userId} holds ${h.userLabels.size} labels; nothing was sent. ` +
      `The probe finds out whether one removal takes every membership: on an org where it does, the label would be emptied (or the user stripped of every label) until the probe adds them back. ` +
      `Use a test label with at most ${SMALL_FOOTPRINT} members and a user with at most ${SMALL_FOOTPRINT} labels, or pass --yes to probe these anyway.`,
  );
}

export async function preflight(client: ZohoClient, o: { labelId: string; userId: string; yes: boolean }): Promise<Start> {
  const label = await findLabel(client, o.labelId);
  const user = await findUser(client, o.userId);
  const holdings = await readHoldings(client, o.labelId, o.userId);
  if (!holdings.members.has(o.userId)) {
    throw new UsageError(
      `user ${o.userId} does not hold label ${o.labelId} ("${label.name ?? ''}"): the probe removes U from L and adds it back, so pick a user who holds the test label (\`zdlabels export --label ${o.labelId}\` lists its members); nothing was sent`,
    );
  }
  checkFootprint(label, o.userId, holdings, o.yes);
  return { label, user, holdings, unknownId: await unknownUserId(client, o.userId) };
}
