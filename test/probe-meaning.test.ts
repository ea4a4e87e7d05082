// The probe's pure parts: what each answer means, the drift between two
// states, the unknown IDs it tries, the footprint limit, and the report's shape.
import type { Answered } from '../src/probe/answer.js';
import { addsFor, extraPairs, missingPairs, withoutPair, type Holdings } from '../src/probe/holdings.js';
import {
  errorsShapeOf,
  nonMemberByLabelOf,
  nonMemberByUserOf,
  placementOf,
  scopeOf,
  unknownInBatchOf,
  wrongPlaceAnswer,
} from '../src/probe/meaning.js';
import { checkFootprint, unknownCandidates } from '../src/probe/preflight.js';
import type { ProbeReport } from '../src/probe/probe.js';
import { reportJson, reportLines } from '../src/probe/report.js';
import { verdicts } from '../src/probe/verdicts.js';
import type { Findings } from '../src/probe/steps.js';
import { ZdlabelsError } from '../src/errors/ZdlabelsError.js';

const L = '24073000002958029';
const U = '1060099000000334006';
const answer = (status: number | undefined, more: Partial<Answered> = {}): Answered => ({ sent: 'POST …', status, ...more });
const byUser = (success: boolean, httpCode?: number | string, id = L): Answered =>
  answer(200, { results: [{ success, id, errors: success ? null : { errorCode: 'X', httpCode: httpCode ?? null, error: 'no' } }] });
const set = (...ids: string[]) => new Set(ids);

describe('placement of labelIds', () => {
  test.each([
    [true, false, 'body'],
    [false, true, 'query'],
    [true, true, 'both'],
    [false, false, 'neither'],
  ] as const)('body applied %s, query applied %s → %s', (body, query, want) => {
    expect(placementOf(body, query)).toBe(want);
  });

  test('the wrong place is the one this org does not read; both read: none', () => {
    const b = answer(200);
    const q = answer(422);
    expect(wrongPlaceAnswer('body', b, q)).toBe(q);
    expect(wrongPlaceAnswer('query', q, b)).toBe(q);
    expect(wrongPlaceAnswer('both', b, b)).toBeUndefined();
    expect(wrongPlaceAnswer('neither', q, answer(400))).toBe(q);
  });
});

test.each([
  [undefined, 'not observed'],
  [answer(200), 'not observed'],
  [answer(undefined, { errorCode: 'TIMEOUT' }), 'not observed'],
  [answer(422, { errors: [{ fieldName: '/labelIds', errorType: 'missing' }] }), 'with'],
  [answer(422, { errors: [] }), 'without'],
  [answer(422), 'without'],
  [answer(400, { errors: [{ fieldName: '/labelIds' }] }), 'other'],
])('errors shape of %j → %s', (a, want) => {
  expect(errorsShapeOf(a)).toBe(want);
});

describe('non-member removal', () => {
  test.each([
    [answer(204), 'success'],
    [answer(404), '404'],
    [answer(422), '422'],
    [answer(403), 'other'],
    [answer(undefined), 'not observed'],
    [undefined, 'not observed'],
  ])('by label %j → %s', (a, want) => {
    expect(nonMemberByLabelOf(a)).toBe(want);
  });

  test.each([
    [byUser(true), 'success'],
    [byUser(false, 404), '404'],
    [byUser(false, '422'), '422'],
    [byUser(false, 400), 'other'],
    [byUser(true, undefined, '999'), 'other'],
    [answer(200), 'other'],
    [answer(404), '404'],
    [answer(422), '422'],
    [undefined, 'not observed'],
  ])('by user %j → %s', (a, want) => {
    expect(nonMemberByUserOf(a, L)).toBe(want);
  });
});

test.each([
  [answer(422), false, 'reject'],
  [answer(404), false, 'reject'],
  [answer(204), true, 'ignore'],
  [answer(204), false, 'other'],
  [answer(422), true, 'other'],
  [answer(undefined), false, 'not observed'],
])('an unknown user in a batch: %j, the member removed %s → %s', (a, removed, want) => {
  expect(unknownInBatchOf(a, removed)).toBe(want);
});

describe('scope of one removal', () => {
  test('only the sent one gone: listed', () => {
    expect(scopeOf(set('1', '2', '3'), set('2', '3'), ['1'])).toEqual({ value: 'listed', unasked: [], others: 2 });
  });
  test('every other one gone too: all', () => {
    expect(scopeOf(set('1', '2', '3'), set(), ['1'])).toEqual({ value: 'all', unasked: ['2', '3'], others: 2 });
  });
  test('some others gone: more', () => {
    expect(scopeOf(set('1', '2', '3'), set('3'), ['1'])).toEqual({ value: 'more', unasked: ['2'], others: 2 });
  });
  test('nothing else held: undetermined', () => {
    expect(scopeOf(set('1'), set(), ['1']).value).toBe('undetermined');
  });
  test('nothing gone: nothing', () => {
    expect(scopeOf(set('1', '2'), set('1', '2'), ['1']).value).toBe('nothing');
  });
});

describe('drift between two states', () => {
  const start: Holdings = { members: set(U, '2', '3'), userLabels: set(L, '77') };

  test('missing memberships, each pair once even when both sides show it', () => {
    const now: Holdings = { members: set('3'), userLabels: set() };
    expect(missingPairs(start, now, L, U)).toEqual([
      { labelId: L, userId: U },
      { labelId: L, userId: '2' },
      { labelId: '77', userId: U },
    ]);
  });

  test('U off L on purpose is not missing; anyone new is extra', () => {
    const target = withoutPair(start, L, U);
    const now: Holdings = { members: set('2', '3', '4'), userLabels: set('77') };
    expect(missingPairs(target, now, L, U)).toEqual([]);
    expect(extraPairs(start, now, L, U)).toEqual([{ labelId: L, userId: '4' }]);
    expect(start.members.has(U)).toBe(true);
  });

  test('adds grouped by label, at most 50 users a call', () => {
    const pairs = [...Array.from({ length: 120 }, (_, i) => ({ labelId: L, userId: String(1000 + i) })), { labelId: '77', userId: U }];
    expect(addsFor(pairs).map((a) => [a.labelId, a.userIds.length])).toEqual([
      [L, 50],
      [L, 50],
      [L, 20],
      ['77', 1],
    ]);
  });
});

test('unknown IDs: U shape, U prefix, ending 999999 downwards, never U itself', () => {
  expect(unknownCandidates(U)).toEqual(['1060099000000999999', '1060099000000999998', '1060099000000999997', '1060099000000999996', '1060099000000999995']);
  expect(unknownCandidates('1060099000000999999', 2)).toEqual(['1060099000000999998', '1060099000000999997']);
  expect(unknownCandidates('42', 3)).toEqual(['49', '48', '47']);
});

test('footprint: more than 10 members or labels needs --yes', () => {
  const label = { id: L, name: 'MVP', helpCenterId: null, count: null };
  const ids = (n: number) => new Set(Array.from({ length: n }, (_, i) => String(i)));
  expect(() => checkFootprint(label, U, { members: ids(10), userLabels: ids(10) }, false)).not.toThrow();
  expect(() => checkFootprint(label, U, { members: ids(11), userLabels: ids(1) }, true)).not.toThrow();
  for (const h of [{ members: ids(11), userLabels: ids(1) }, { members: ids(2), userLabels: ids(11) }]) {
    let thrown: unknown;
    try {
      checkFootprint(label, U, h, false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ZdlabelsError);
    expect((thrown as ZdlabelsError).code).toBe('SAFETY_LIMIT');
  }
});

describe('the report of a probe stopped after the label side', () => {
  const findings: Findings = {
    labelRemoval: { answer: answer(204, { sent: 'POST /label remove U' }), applied: true, scope: { value: 'listed', unasked: [], others: 9 } },
    nonMemberByLabel: answer(404, { errorCode: 'RESOURCE_NOT_FOUND', sent: 'POST /label remove U again' }),
    byUser: {},
  };
  const report: ProbeReport = {
    label: { id: L, name: 'MVP', members: 10 },
    user: { id: U, name: 'User 6', labels: 2 },
    unknownUserId: '1060099000000999999',
    verdicts: verdicts(findings, L),
    restored: { exact: true, members: 10, userLabels: 2, missing: [], extra: [] },
    addedBack: [{ labelId: L, userId: U }],
    stopped: { message: 'POST … failed: HTTP 401 SCOPE_MISMATCH', exitCode: 3 },
    exitCode: 3,
  };

  test('what was seen is stated; what was not reached says so', () => {
    const text = reportLines(report).join('\n');
    expect(text).toMatch(/^✘ probe stopped: POST … failed: HTTP 401 SCOPE_MISMATCH$/m);
    expect(text).toMatch(/^What one removal takes, by label \(removeScope\): listed\. Alone, sent POST \/label remove U → HTTP 204; the label had 9 other member\(s\) and lost 0 of them\./m);
    expect(text).toMatch(/by label \(nonMember\): 404\. Once the user no longer held the label, sent POST \/label remove U again → HTTP 404 RESOURCE_NOT_FOUND \(no errors array\)\./);
    expect(text).toMatch(/^Where a by-user removal reads labelIds \(labelIdsIn\): not observed\. Not reached/m);
    expect(text).toMatch(/^An unknown user ID in a label batch \(unknownUserInBatch\): not observed\. Not reached/m);
    expect(text).toMatch(/^✔ label restored exactly: 10 members, as found/m);
  });

  test('--json: a key per unknown, the two-sided ones by side, raw answers kept', () => {
    const json = reportJson(report);
    expect(Object.keys(json)).toEqual(['label', 'user', 'unknownUserId', 'removeScope', 'nonMember', 'labelIdsIn', 'errorsArray', 'unknownUserInBatch', 'notProbed', 'restored', 'addedBack', 'stopped', 'exitCode']);
    expect(json.nonMember).toEqual({
      byLabel: { value: '404', answer: { sent: 'POST /label remove U again', status: 404, errorCode: 'RESOURCE_NOT_FOUND' } },
      byUser: { value: 'not observed', answer: null },
    });
    expect(json.errorsArray).toEqual({ value: 'not observed', seenOn: null, answer: null });
  });
});
