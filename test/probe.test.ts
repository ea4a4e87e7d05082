// `zdlabels doctor --probe` against the emulator under every value of every
// option it must tell apart: the report says the value (in words and in
// --json), and the emulator ends exactly as it began.
import { startEmulator, type CallRecord, type RunningEmulator } from '../src/emulator/server.js';
import type { EmulatorOptions } from '../src/emulator/knobs.js';
import { endpoints } from '../src/zoho/endpoints.js';
import { cli, tempDir } from './helpers/cli.js';
import { A, C, u } from './helpers/seed.js';

/** The test label ("MVP": users 0-9) and a member of it who also holds A. */
const L = C;
const U = u(5);

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterEach(() => emulator?.close());

const probe = (args: string[] = [], env: Record<string, string> = {}) => cli(['doctor', '--probe', '--label', L, '--user', U, ...args], { env: { ...emulator.env, ...env }, cwd: dir });
const pairs = (): string[] => emulator.state.pairs().sort();
const writes = () => emulator.calls.filter((c) => c.endpoint !== 'unknown' && c.endpoint !== 'deleteLabel' && endpoints[c.endpoint].write);
const removals = () => writes().filter((c) => c.endpoint === 'removeUsersFromLabel' || c.endpoint === 'removeLabelsFromUser');

/** The labelIds a by-user call carried, in its body or its query (the call log keeps only where the emulator reads them). */
const labelIdsSent = (c: CallRecord): string[] => [
  ...((c.body as { labelIds?: string[] } | undefined)?.labelIds ?? []),
  ...(c.query.labelIds === undefined ? [] : c.query.labelIds.split(',')),
];

type Values = Record<'labelIdsIn' | 'errorsArray' | 'nonMemberByLabel' | 'nonMemberByUser' | 'unknownUserInBatch' | 'scopeByLabel' | 'scopeByUser', string>;
const defaults: Values = {
  labelIdsIn: 'body',
  errorsArray: 'with',
  nonMemberByLabel: 'success',
  nonMemberByUser: 'success',
  unknownUserInBatch: 'reject',
  scopeByLabel: 'listed',
  scopeByUser: 'listed',
};

/** Each option value on its own, the others at their defaults, and what the probe must report. */
const cases: [string, EmulatorOptions, Partial<Values>][] = [
  ['labelIdsIn body', { labelIdsIn: 'body' }, {}],
  ['labelIdsIn query', { labelIdsIn: 'query' }, { labelIdsIn: 'query' }],
  ['errorsArray with', { errorsArray: 'with' }, {}],
  ['errorsArray without', { errorsArray: 'without' }, { errorsArray: 'without' }],
  ['nonMember success', { nonMember: 'success' }, {}],
  ['nonMember 404', { nonMember: '404' }, { nonMemberByLabel: '404', nonMemberByUser: '404' }],
  ['nonMember 422', { nonMember: '422' }, { nonMemberByLabel: '422', nonMemberByUser: '422' }],
  ['unknownUserInBatch reject', { unknownUserInBatch: 'reject' }, {}],
  ['unknownUserInBatch ignore', { unknownUserInBatch: 'ignore' }, { unknownUserInBatch: 'ignore' }],
  ['removeScope listed', { removeScope: 'listed' }, {}],
  ['removeScope all', { removeScope: 'all' }, { scopeByLabel: 'all', scopeByUser: 'all' }],
];

/** The report's line for each unknown, with the value it must state. */
function textLines(v: Values): RegExp[] {
  return [
    new RegExp(`^Where a by-user removal reads labelIds \\(labelIdsIn\\): ${v.labelIdsIn}\\. Sent .* What zdlabels does: `, 'm'),
    new RegExp(`^How a request-level problem is answered \\(errorsArray\\): ${v.errorsArray}\\. Seen on the request-level refusal .* What zdlabels does: `, 'm'),
    new RegExp(`^Removing a user who does not hold the label, by label \\(nonMember\\): ${v.nonMemberByLabel}\\. .*sent POST /api/v1/labels/${L}/users/remove`, 'm'),
    new RegExp(`^Removing a user who does not hold the label, by user \\(nonMember\\): ${v.nonMemberByUser}\\. .*sent POST /api/v1/users/${U}/labels/remove`, 'm'),
    new RegExp(`^An unknown user ID in a label batch \\(unknownUserInBatch\\): ${v.unknownUserInBatch}\\. `, 'm'),
    new RegExp(`^What one removal takes, by label \\(removeScope\\): ${v.scopeByLabel}\\. `, 'm'),
    new RegExp(`^What one removal takes, by user \\(removeScope\\): ${v.scopeByUser}\\. `, 'm'),
  ];
}

interface Entry {
  value: string;
  answer: { status: number; errorCode?: string } | null;
}
type Report = Record<string, Entry & Record<string, Entry>> & { restored: { exact: boolean; members: number; userLabels: number; missing: unknown[] }; notProbed: Record<string, string>; exitCode: number };

function jsonValues(r: Report): Values {
  return {
    labelIdsIn: r.labelIdsIn!.value,
    errorsArray: r.errorsArray!.value,
    nonMemberByLabel: r.nonMember!.byLabel!.value,
    nonMemberByUser: r.nonMember!.byUser!.value,
    unknownUserInBatch: r.unknownUserInBatch!.value,
    scopeByLabel: r.removeScope!.byLabel!.value,
    scopeByUser: r.removeScope!.byUser!.value,
  };
}

describe('each option value on its own: stated in words and in --json, the label left as found', () => {
  test.each(cases)('%s', async (_name, options, expected) => {
    emulator = await startEmulator(options);
    const want = { ...defaults, ...expected };
    const before = pairs();

    const text = await probe();
    expect([text.code, text.stderr]).toEqual([0, '']);
    for (const line of textLines(want)) expect(text.stdout).toMatch(line);
    expect(text.stdout).toMatch(/^✔ label restored exactly: 10 members, as found; user \d+ holds its 2 label\(s\), as found/m);
    expect(pairs()).toEqual(before);
    // the probe's removals name only the test label and the test user (plus the unknown ID)
    for (const c of removals()) {
      if (c.endpoint === 'removeUsersFromLabel') expect(c.path).toBe(`/api/v1/labels/${L}/users/remove`);
      else expect([c.path, labelIdsSent(c)]).toEqual([`/api/v1/users/${U}/labels/remove`, [L]]);
    }

    const json = await probe(['--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as Report;
    expect(jsonValues(report)).toEqual(want);
    expect(report.restored).toEqual({ exact: true, members: 10, userLabels: 2, missing: [], extra: [] });
    expect(pairs()).toEqual(before);
  });
});

test('raw statuses and error codes are in --json: nonMember 404, errorsArray without', async () => {
  emulator = await startEmulator({ nonMember: '404', errorsArray: 'without' });
  const report = JSON.parse((await probe(['--json'])).stdout) as Report;
  expect(report.nonMember!.byLabel!.answer).toMatchObject({ status: 404, errorCode: 'RESOURCE_NOT_FOUND' });
  expect(report.nonMember!.byUser!.answer).toMatchObject({ status: 200, results: [{ success: false, id: L, errors: { httpCode: 404, errorCode: 'RESOURCE_NOT_FOUND' } }] });
  expect(report.errorsArray).toMatchObject({ value: 'without', seenOn: 'request-level', answer: { status: 422, errorCode: 'UNPROCESSABLE_ENTITY' } });
  expect((report.errorsArray as unknown as { answer: Record<string, unknown> }).answer).not.toHaveProperty('errors');
  expect(report.unknownUserInBatch).toMatchObject({ value: 'reject', knownRemoved: false, answer: { status: 422 } });
  expect(report.labelIdsIn).toMatchObject({ value: 'body', body: { applied: true, answer: { status: 200 } }, query: { applied: false, answer: { status: 422 } } });
});

test('the token unknowns are not probed, and the report says so: one token request, never a second', async () => {
  emulator = await startEmulator();
  const text = await probe();
  expect(text.stdout).toMatch(/^Token refresh throttle \(refreshThrottle\): not probed: .*lock this account out/m);
  expect(text.stdout).toMatch(/^Status of OAUTH_ORG_MISMATCH \(orgMismatchStatus\): not probed: /m);
  expect(emulator.tokenRequests).toHaveLength(1);
  const report = JSON.parse((await probe(['--json'])).stdout) as Report;
  expect(Object.keys(report.notProbed).sort()).toEqual(['orgMismatchStatus', 'refreshThrottle']);
  expect(emulator.calls.every((c) => c.orgId === '2389290' || c.endpoint === 'listOrganizations')).toBe(true);
});

test('removeScope all: what a removal took is added back before the next removal is sent', async () => {
  emulator = await startEmulator({ removeScope: 'all' });
  const before = pairs();
  expect((await probe()).code).toBe(0);
  const sequence = writes().map((c) => `${c.endpoint}:${c.path.split('/')[4]}:${c.ids.length}`);
  // U alone off L took all 10; the 9 others are back before U is removed again as a non-member
  expect(sequence.slice(0, 3)).toEqual([`removeUsersFromLabel:${L}:1`, `addUsersToLabel:${L}:9`, `removeUsersFromLabel:${L}:1`]);
  // by user: U lost A too; A is given back before the next by-user removal
  const firstByUser = sequence.findIndex((s) => s.startsWith('removeLabelsFromUser'));
  expect(sequence[firstByUser + 1]).toBe(`addUsersToLabel:${A}:1`);
  expect(pairs()).toEqual(before);
});

test('a label whose only member is U: the label-side scope cannot be seen, and says so', async () => {
  emulator = await startEmulator({ removeScope: 'all' });
  for (let i = 0; i < 10; i += 1) if (i !== 5) emulator.state.remove(L, u(i));
  const before = pairs();
  const r = await probe();
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^What one removal takes, by label \(removeScope\): undetermined\. .*probe a label with at least 2 members/m);
  expect(r.stdout).toMatch(/^What one removal takes, by user \(removeScope\): all\. /m);
  expect(r.stdout).toMatch(/^✔ label restored exactly: 1 members, as found/m);
  expect(pairs()).toEqual(before);
});

describe('refused before any write', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  test('U does not hold L: exit 2, pick a user who holds the test label', async () => {
    const r = await cli(['doctor', '--probe', '--label', L, '--user', u(20)], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`user ${u(20)} does not hold label ${L} \\("MVP"\\).*pick a user who holds the test label`));
    expect(writes()).toEqual([]);
  });

  test('an unknown label: exit 2', async () => {
    const r = await cli(['doctor', '--probe', '--label', '24073000002958099', '--user', U], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--label 24073000002958099: no such label in this organization');
    expect(writes()).toEqual([]);
  });

  test('an unknown user: exit 2', async () => {
    const r = await cli(['doctor', '--probe', '--label', L, '--user', '1060099000000999999'], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--user 1060099000000999999: no such user in this organization');
    expect(writes()).toEqual([]);
  });

  test('the refresh token refused: exit 3, the secret never shown', async () => {
    const r = await probe([], { ZOHO_REFRESH_TOKEN: 'nope-secret-token' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ZOHO_REFRESH_TOKEN/);
    expect(r.stdout + r.stderr).not.toContain('nope-secret-token');
    expect(emulator.calls).toEqual([]);
  });

  test('a label with more than 10 members without --yes: exit 5, explains the risk', async () => {
    const before = pairs();
    const r = await cli(['doctor', '--probe', '--label', A, '--user', U], { env: emulator.env, cwd: dir });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/has 80 members .*the label would be emptied .*test label with at most 10 members .*--yes/);
    expect(writes()).toEqual([]);
    expect(pairs()).toEqual(before);
  });

  test.each([
    [['doctor', '--probe', '--label', L], /--probe needs --label L and --user U/],
    [['doctor', '--label', L, '--user', U], /--label, --user, --yes and --json go with --probe/],
    [['doctor', '--json'], /go with --probe/],
    [['doctor', '--probe', '--label', 'MVP', '--user', U], /Expected --label to be a Zoho ID, got `MVP` \(digits only\)/],
  ])('usage %j: exit 2', async (argv, message) => {
    const r = await cli(argv, { env: emulator.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(emulator.calls).toEqual([]);
  });
});

test('--yes probes a larger label, and even emptied by removeScope all it is put back whole', async () => {
  emulator = await startEmulator({ removeScope: 'all' });
  const before = pairs();
  const r = await cli(['doctor', '--probe', '--label', A, '--user', U, '--yes', '--json'], { env: emulator.env, cwd: dir });
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as Report;
  expect([report.removeScope!.byLabel!.value, report.restored.exact, report.restored.members]).toEqual(['all', true, 80]);
  expect(pairs()).toEqual(before);
});

test('a token that may read but not write: the first write is refused, exit 3, nothing changed', async () => {
  emulator = await startEmulator();
  emulator.knobs.scopes = emulator.knobs.scopes.filter((s) => !s.endsWith('.UPDATE'));
  const before = pairs();
  const r = await probe();
  expect(r.code).toBe(3);
  expect(r.stdout).toMatch(/^✘ probe stopped: POST \/api\/v1\/labels\/\d+\/users\/remove failed: HTTP 401 SCOPE_MISMATCH/m);
  expect(r.stdout).toMatch(/^What one removal takes, by user \(removeScope\): not observed\. Not reached/m);
  expect(r.stdout).toMatch(/^✔ label restored exactly: 10 members, as found/m);
  expect(pairs()).toEqual(before);
});

test('a 429 TOO_MANY_REQUESTS (nothing applied) is sent again; the probe still sees the answer', async () => {
  emulator = await startEmulator();
  emulator.knobs.inject = [{ endpoint: 'removeUsersFromLabel', status: 429, errorCode: 'TOO_MANY_REQUESTS', times: 2 }];
  const before = pairs();
  const r = await probe();
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^What one removal takes, by label \(removeScope\): listed\. Alone, sent .* → HTTP 204;/m);
  expect(emulator.calls.filter((c) => c.status === 429)).toHaveLength(2);
  expect(pairs()).toEqual(before);
});

test('when Zoho refuses to add U back: the probe stops, lists what is missing, exit 1', async () => {
  emulator = await startEmulator();
  emulator.knobs.inject = [{ endpoint: 'addUsersToLabel', status: 403, errorCode: 'FORBIDDEN', message: 'You are not authorized to access this resource.' }];
  const r = await probe();
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(new RegExp(`^✘ probe stopped: could not put back user ${U} on label ${L}`, 'm'));
  expect(r.stdout).toMatch(new RegExp(`^✘ label NOT restored exactly .*missing: user ${U} on label ${L}`, 'm'));
  // nothing was sent after the failed restoration but reads and the final attempt to add back
  const afterFirstAdd = writes().slice(writes().findIndex((c) => c.endpoint === 'addUsersToLabel'));
  expect(afterFirstAdd.every((c) => c.endpoint === 'addUsersToLabel')).toBe(true);
  expect(emulator.state.has(L, U)).toBe(false);
});
