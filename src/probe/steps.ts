// The probe's steps, in the order that keeps the riskiest unknown (a removal
// taking every membership) on the smallest footprint: U alone off L first.
// Every step ends with the label and U's labels back as found.
import type { Answered } from './answer.js';
import { withoutPair } from './holdings.js';
import { scopeOf, type Scope } from './meaning.js';
import type { ProbeSession } from './session.js';

export interface Removal {
  answer: Answered;
  /** Read back: did the target lose what was sent? */
  applied: boolean;
}

/** Everything the steps saw; filled as they go, so a stopped probe still reports what it saw. */
export interface Findings {
  /** Removing U alone by label, and what L lost. */
  labelRemoval?: Removal & { scope: Scope };
  /** Removing U again by label, now that it does not hold L. */
  nonMemberByLabel?: Answered;
  /** The by-user removal with labelIds in the body, and in the query only. */
  byUser: { body?: Removal; query?: Removal };
  /** The first by-user removal that worked, and what U lost. */
  userRemoval?: Removal & { scope: Scope };
  /** Removing L again from U by user, now that U does not hold it. */
  nonMemberByUser?: Answered;
  /** Removing [U, an ID no user has] by label. */
  unknownBatch?: { answer: Answered; unknownId: string; knownRemoved: boolean };
}

/** By label: remove U alone (what does L lose?), again as a non-member, then add U back. */
export async function labelSide(s: ProbeSession, f: Findings): Promise<void> {
  const off = withoutPair(s.start, s.labelId, s.userId);
  const answer = await s.removeByLabel([s.userId]);
  const after = await s.read();
  const applied = !after.members.has(s.userId);
  f.labelRemoval = { answer, applied, scope: scopeOf(s.start.members, after.members, [s.userId]) };
  if (applied) {
    await s.settle(off, after);
    f.nonMemberByLabel = await s.removeByLabel([s.userId]);
    await s.settle(s.start);
  } else await s.settle(s.start, after);
}

/** By user, with labelIds in one place: what U loses, and (the first time it works) a non-member removal. */
async function byUser(s: ProbeSession, f: Findings, where: 'body' | 'query'): Promise<void> {
  const answer = await s.removeByUser(where);
  const after = await s.read();
  const applied = !after.userLabels.has(s.labelId);
  f.byUser[where] = { answer, applied };
  if (!applied) {
    await s.settle(s.start, after);
    return;
  }
  if (!f.userRemoval) {
    f.userRemoval = { answer, applied, scope: scopeOf(s.start.userLabels, after.userLabels, [s.labelId]) };
    await s.settle(withoutPair(s.start, s.labelId, s.userId), after);
    f.nonMemberByUser = await s.removeByUser(where);
    await s.settle(s.start);
  } else await s.settle(s.start, after);
}

/** By user, labelIds in the JSON body (the spec's place), then only in the query (a Postman mirror's). */
export async function userSide(s: ProbeSession, f: Findings): Promise<void> {
  await byUser(s, f, 'body');
  await byUser(s, f, 'query');
}

/** By label, U and an ID no user has: refused whole, or U removed and the unknown ID skipped? */
export async function unknownInBatch(s: ProbeSession, f: Findings, unknownId: string): Promise<void> {
  const answer = await s.removeByLabel([s.userId, unknownId]);
  const after = await s.read();
  f.unknownBatch = { answer, unknownId, knownRemoved: !after.members.has(s.userId) };
  await s.settle(s.start, after);
}
