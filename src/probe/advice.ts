// Pure: what zdlabels does about each answer the probe can see (the engine in
// src/run/ acts so; these sentences only tell the admin). One table per unknown.
import type { BatchAnswer, ErrorsShape, NonMemberAnswer, Placement, ScopeValue } from './meaning.js';

const RESUMABLE = 'failed (resumable with --resume)';

export const placementAdvice: Record<Placement, string> = {
  body: 'it sends labelIds in the JSON body, as the spec says: nothing to learn.',
  query:
    "it sends them in the body first; when that is refused, it sends the call again with labelIds in the query and keeps the query for the rest of the run (recorded in the manifest's labelIdsIn).",
  both: 'it sends them in the JSON body; the query would work too.',
  neither: 'by-user removals were refused both ways, so remove with --by label (label calls carry userIds, not labelIds).',
};

export const errorsShapeAdvice: Record<ErrorsShape, string> = {
  with: `a refusal naming a field that is not the batch's ID list is about the request, so its rows end ${RESUMABLE}, nothing is split; after a few calls refused alike the run stops (exit 1, the rest deferred).`,
  without: `a 422 that names nothing is unclear: it splits one batch once to learn; when both halves are refused alike the refusal is about the request: rows ${RESUMABLE}, no storm of splits, and after a few such calls the run stops (exit 1, the rest deferred).`,
  other: `it never reads such a refusal as a verdict on an ID: rows end ${RESUMABLE}, and after a few calls refused alike the run stops (exit 1, the rest deferred).`,
  'not observed': 'nothing to adapt to (every by-user call was accepted); it handles 422s with and without an errors array.',
};

const nonMemberByLabel: Record<NonMemberAnswer, string> = {
  success:
    "such a row ends not_member where the run read the label's members before writing (--check-members, an email lookup, the first-write guard's label), else removed, as Zoho says success (the answer cannot tell it held nothing); pass --check-members so that removed means held and restore puts back only who held the label.",
  '404': "a refusal naming nobody is settled by one read of the label's members (or, for a big label, each user's labels): rows not held end not_member (proven by the read), the held rows are sent again and removed; no row is peeled off one call at a time.",
  '422': "the rows it names are explained by reads (not_member when the user does not hold the label); if the rest is refused again, one read of the label's members settles the whole batch; the held rows are removed.",
  other: `it treats the answer as unclear: it isolates the row, explains it by reads (not_member when the user does not hold the label), else ${RESUMABLE}.`,
  'not observed': 'it explains any refused row by reads before giving it a final status.',
};

/**
 * What zdlabels does about a non-member removal. By user, a refusal inside
 * the 200's results names its label: reads explain that row, the rest of the
 * call stands; a refusal of the whole call is handled as by label.
 */
export function nonMemberAdvice(side: 'label' | 'user', value: NonMemberAnswer, inResults: boolean): string {
  if (side === 'user' && inResults && (value === '404' || value === '422')) {
    return "that label's result says refused: it reads the user's labels, ends that row not_member (proven by the read), and the call's other labels stay removed.";
  }
  return nonMemberByLabel[value];
}

export const batchAdvice: Record<BatchAnswer, string> = {
  reject: 'it isolates the unknown ID (named by the answer, or by splitting), proves it missing with a read (row not_found) and removes the rest.',
  ignore: "the unknown ID's row ends removed though nothing was there (the answer cannot tell); the rest are removed. `zdlabels export` shows who really holds a label.",
  other: `it explains refused rows by reads before any final status, else ${RESUMABLE}.`,
  'not observed': 'it explains any refused row by reads before giving it a final status.',
};

const GUARD = 'It checks this again on every run: the first write of each side is sent alone and read back (the guard; --no-guard skips it).';

export function scopeAdvice(side: 'label' | 'user', value: ScopeValue): string {
  const other = side === 'label' ? '--by user' : '--by label';
  const target = side === 'label' ? 'a label with at least 2 members' : 'a user who holds at least 2 labels';
  switch (value) {
    case 'listed':
      return `only what it lists is removed, as expected. ${GUARD}`;
    case 'all':
    case 'more':
      return `DANGER: one call removed more than it was given. Its first-write guard stops any run after its first ${side} batch (exit 8) and adds back what vanished; do not remove by ${side} in this org (use ${other} if its line says "listed").`;
    case 'undetermined':
      return `this could not be seen (nothing else was held): probe ${target}. ${GUARD}`;
    case 'nothing':
      return `this could not be seen (nothing was removed). ${GUARD}`;
  }
}

/** Why the token unknowns are never probed, and how zdlabels handles them anyway. */
export const notProbed = {
  refreshThrottle:
    'not probed: provoking Zoho Accounts\' refresh throttle would lock this account out of new tokens for 15–30 minutes. zdlabels refreshes once per token death, never in a loop; on HTTP 400 "Access Denied" (in any language) it stops with exit 3 and says to wait 15–30 minutes.',
  orgMismatchStatus:
    'not probed: it needs a call with an org id the token does not reach, which zdlabels will not send on purpose. zdlabels reads OAUTH_ORG_MISMATCH as 401 or 403 alike: exit 3, "check ZOHO_ORG_ID".',
} as const;
