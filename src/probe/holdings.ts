// What the probe may touch (the test label's members, the test user's labels),
// read, compared with what it should be, and put back.
import { retryRead } from '../run/retry.js';
import type { ZohoClient } from '../zoho/client.js';
import { MAX_PAGE, listAll } from '../zoho/pager.js';

/** The label's members and the user's labels (every help center), as read. */
export interface Holdings {
  members: ReadonlySet<string>;
  userLabels: ReadonlySet<string>;
}

/** One membership: user U holds label L. */
export interface Pair {
  labelId: string;
  userId: string;
}

export async function readHoldings(client: ZohoClient, labelId: string, userId: string): Promise<Holdings> {
  const members = await listAll(client, 'listLabelUsers', { path: { labelId } }, retryRead);
  const labels = await listAll(client, 'listUserLabels', { path: { userId } }, retryRead);
  return { members: new Set(members.map((m) => m.id)), userLabels: new Set(labels.map((l) => l.id)) };
}

/** `h` without the pair (labelId, userId): the state while the probe has U off L on purpose. */
export function withoutPair(h: Holdings, labelId: string, userId: string): Holdings {
  const members = new Set(h.members);
  const userLabels = new Set(h.userLabels);
  members.delete(userId);
  userLabels.delete(labelId);
  return { members, userLabels };
}

/** Pure: the memberships `target` has and `now` lacks, once each (the same pair may show on both sides). */
export function missingPairs(target: Holdings, now: Holdings, labelId: string, userId: string): Pair[] {
  const pairs = new Map<string, Pair>();
  for (const m of target.members) if (!now.members.has(m)) pairs.set(`${labelId}:${m}`, { labelId, userId: m });
  for (const l of target.userLabels) if (!now.userLabels.has(l)) pairs.set(`${l}:${userId}`, { labelId: l, userId });
  return [...pairs.values()];
}

/** Pure: memberships `now` has and `target` lacks. */
export function extraPairs(target: Holdings, now: Holdings, labelId: string, userId: string): Pair[] {
  return missingPairs(now, target, labelId, userId);
}

/** Pure: the adds that put `pairs` back, grouped by label, at most 50 users a call. */
export function addsFor(pairs: readonly Pair[]): { labelId: string; userIds: string[] }[] {
  const byLabel = new Map<string, string[]>();
  for (const p of pairs) byLabel.set(p.labelId, [...(byLabel.get(p.labelId) ?? []), p.userId]);
  const adds: { labelId: string; userIds: string[] }[] = [];
  for (const [labelId, users] of byLabel) for (let i = 0; i < users.length; i += MAX_PAGE) adds.push({ labelId, userIds: users.slice(i, i + MAX_PAGE) });
  return adds;
}

/**
 * Adds back every pair (adding is idempotent, so a passing failure is simply
 * sent again). Returns the pairs whose add was refused; the caller reads back.
 */
export async function addBack(client: ZohoClient, pairs: readonly Pair[]): Promise<Pair[]> {
  const refused: Pair[] = [];
  for (const add of addsFor(pairs)) {
    try {
      await retryRead(() => client.call('addUsersToLabel', { path: { labelId: add.labelId }, body: { userIds: add.userIds } }));
    } catch {
      refused.push(...add.userIds.map((userId) => ({ labelId: add.labelId, userId })));
    }
  }
  return refused;
}

export const pairText = (p: Pair): string => `user ${p.userId} on label ${p.labelId}`;
