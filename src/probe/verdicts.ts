// Pure: from what the steps saw to one verdict per unknown, each with the
// words for the report (what was sent, what Zoho answered, what zdlabels does)
// and the raw answers for --json.
import { batchAdvice, errorsShapeAdvice, nonMemberAdvice, placementAdvice, scopeAdvice } from './advice.js';
import { describeAnswer, type Answered } from './answer.js';
import {
  errorsShapeOf,
  nonMemberByLabelOf,
  nonMemberByUserOf,
  placementOf,
  unknownInBatchOf,
  wrongPlaceAnswer,
  type ErrorsShape,
  type Placement,
} from './meaning.js';
import type { Findings, Removal } from './steps.js';

export interface Verdict {
  /** Where it goes in --json: ["labelIdsIn"], ["nonMember", "byLabel"], … */
  path: [string] | [string, string];
  /** The unknown in words, and the emulator option it matches. */
  title: string;
  value: string;
  /** What was sent and what Zoho answered. */
  detail: string;
  advice: string;
  /** Raw statuses, error codes and bodies seen. */
  raw: Record<string, unknown>;
}

const NOT_REACHED = 'Not reached: the probe stopped before this step.';
const sentAnswered = (a: Answered): string => `sent ${a.sent} → ${describeAnswer(a)}`;
const applied = (r: Removal | undefined): string => (r === undefined ? 'not sent' : `${describeAnswer(r.answer)}, ${r.applied ? 'applied' : 'nothing removed'}`);

function placement(f: Findings): { value: Placement | 'not observed'; verdict: Verdict } {
  const { body, query } = f.byUser;
  const value = body && query ? placementOf(body.applied, query.applied) : 'not observed';
  const verdict: Verdict = {
    path: ['labelIdsIn'],
    title: 'Where a by-user removal reads labelIds',
    value,
    detail: body ? `Sent labelIds in the JSON body → ${applied(body)}; only in the query → ${applied(query)}.` : NOT_REACHED,
    advice: value === 'not observed' ? placementAdvice.query : placementAdvice[value],
    raw: { body: body ?? null, query: query ?? null },
  };
  return { value, verdict };
}

const shapeWords: Record<ErrorsShape, string> = { with: '422 with an errors array', without: '422 without an errors array', other: 'not a 422', 'not observed': 'not observed' };

/** From the by-user call with labelIds where this org does not read them; else from any other 422 seen, said so. */
function errorsArray(f: Findings, where: Placement | 'not observed'): Verdict {
  const request = where === 'not observed' ? undefined : wrongPlaceAnswer(where, f.byUser.body?.answer, f.byUser.query?.answer);
  const others = [f.nonMemberByLabel, f.unknownBatch?.answer].filter((a): a is Answered => a?.status === 422);
  const seen = errorsShapeOf(request) !== 'not observed' ? request : others[0];
  const value = errorsShapeOf(seen);
  const kind = seen === request ? 'Seen on the request-level refusal (labelIds where this org does not read them)' : 'No request-level refusal was seen; seen on an ID-level refusal';
  return {
    path: ['errorsArray'],
    title: 'How a request-level problem is answered',
    value,
    detail: seen ? `${kind}: ${sentAnswered(seen)} (${shapeWords[value]}).` : 'No refusal was seen.',
    advice: errorsShapeAdvice[value],
    raw: { seenOn: seen === undefined ? null : seen === request ? 'request-level' : 'id-level', answer: seen ?? null },
  };
}

function nonMember(f: Findings, labelId: string): Verdict[] {
  const byLabel = nonMemberByLabelOf(f.nonMemberByLabel);
  const byUser = nonMemberByUserOf(f.nonMemberByUser, labelId);
  const line = (side: 'byLabel' | 'byUser', value: typeof byLabel, a: Answered | undefined, reached: boolean): Verdict => ({
    path: ['nonMember', side],
    title: `Removing a user who does not hold the label, ${side === 'byLabel' ? 'by label' : 'by user'}`,
    value,
    detail: a ? `Once the user no longer held the label, ${sentAnswered(a)}.` : reached ? `Not sent: no removal ${side === 'byLabel' ? 'by label' : 'by user'} took the user off the label, so it never was a non-member.` : NOT_REACHED,
    advice: nonMemberAdvice(side === 'byLabel' ? 'label' : 'user', value, a?.results !== undefined),
    raw: { answer: a ?? null },
  });
  return [line('byLabel', byLabel, f.nonMemberByLabel, f.labelRemoval !== undefined), line('byUser', byUser, f.nonMemberByUser, f.byUser.query !== undefined)];
}

function unknownBatch(f: Findings): Verdict {
  const u = f.unknownBatch;
  const value = u ? unknownInBatchOf(u.answer, u.knownRemoved) : 'not observed';
  return {
    path: ['unknownUserInBatch'],
    title: 'An unknown user ID in a label batch',
    value,
    detail: u ? `With ${u.unknownId} no user (reading it answers 404), ${sentAnswered(u.answer)}; the member listed with it was ${u.knownRemoved ? 'removed' : 'kept'}.` : NOT_REACHED,
    advice: value === 'not observed' ? batchAdvice['not observed'] : batchAdvice[value],
    raw: u ? { unknownUserId: u.unknownId, knownRemoved: u.knownRemoved, answer: u.answer } : { answer: null },
  };
}

function scope(side: 'label' | 'user', r: Findings['labelRemoval'], reached: boolean): Verdict {
  const value = r?.scope.value ?? 'not observed';
  const target = side === 'label' ? 'the label' : 'the user';
  const held = side === 'label' ? 'other member(s)' : 'other label(s)';
  return {
    path: ['removeScope', side === 'label' ? 'byLabel' : 'byUser'],
    title: `What one removal takes, ${side === 'label' ? 'by label' : 'by user'}`,
    value,
    detail: r ? `Alone, ${sentAnswered(r.answer)}; ${target} had ${r.scope.others} ${held} and lost ${r.scope.unasked.length} of them.` : reached ? 'Not observed: no by-user removal took effect (see labelIdsIn).' : NOT_REACHED,
    advice: value === 'not observed' ? scopeAdvice(side, 'nothing') : scopeAdvice(side, value),
    raw: r ? { answer: r.answer, applied: r.applied, others: r.scope.others, unasked: r.scope.unasked } : { answer: null },
  };
}

/** One verdict per unknown, in the report's order. */
export function verdicts(f: Findings, labelId: string): Verdict[] {
  const where = placement(f);
  return [
    scope('label', f.labelRemoval, f.labelRemoval !== undefined),
    ...nonMember(f, labelId),
    where.verdict,
    errorsArray(f, where.value),
    scope('user', f.userRemoval, f.byUser.query !== undefined),
    unknownBatch(f),
  ];
}
