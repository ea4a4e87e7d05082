import type { RunningEmulator } from '../src/emulator/server.js';
import { ZohoApiError } from '../src/errors/ZohoApiError.js';
import { classify } from '../src/zoho/classify.js';
import { clientFor, rejection, withEmulator } from './helpers/emulator.js';

const label = '24073000002958013';
const user = '1060099000000334001';

describe('error classes, over real HTTP', () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    ({ emulator } = await withEmulator());
  });
  afterEach(() => emulator.close());

  const remove = (userIds: string[] = [user], labelId = label) =>
    clientFor(emulator).call('removeUsersFromLabel', { path: { labelId }, body: { userIds } });

  test('500 is retryable', async () => {
    emulator.knobs.errorRate = 1;
    const e = (await rejection(remove())) as ZohoApiError;
    expect([e.status, e.errorCode, e.kind]).toEqual([500, 'INTERNAL_SERVER_ERROR', 'retryable']);
    expect(e.message).toContain(`POST /api/v1/labels/${label}/users/remove failed: HTTP 500`);
    expect(emulator.state.has(label, user)).toBe(true);
  });

  test('a dropped connection is retryable, with no status', async () => {
    emulator.knobs.dropRate = 1;
    const e = (await rejection(remove())) as ZohoApiError;
    expect([e.status, e.errorCode, e.kind]).toEqual([undefined, 'NETWORK', 'retryable']);
    expect(emulator.calls[0]?.status).toBe('dropped');
  });

  test('a call slower than the per-call timeout is retryable TIMEOUT', async () => {
    emulator.knobs.latencyMs = 1500;
    const started = performance.now();
    const e = (await rejection(clientFor(emulator, { timeoutMs: 200 }).call('getLabel', { path: { labelId: label } }))) as ZohoApiError;
    expect([e.status, e.errorCode, e.kind]).toEqual([undefined, 'TIMEOUT', 'retryable']);
    expect(e.message).toContain('within 200 ms');
    expect(performance.now() - started).toBeLessThan(1400);
  });

  test('a bad per-call timeout is refused, showing what was given', () => {
    expect(() => clientFor(emulator, { timeoutMs: 0 })).toThrow('Expected `timeoutMs` to be a number > 0, got `0` (number)');
  });

  test('429 TOO_MANY_REQUESTS (over the org concurrency limit) is retryable', async () => {
    emulator.knobs.concurrencyLimit = 2;
    emulator.knobs.latencyMs = 100;
    const client = clientFor(emulator);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.call('getLabel', { path: { labelId: label } })));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as ZohoApiError);
    expect(refused).toHaveLength(3);
    for (const e of refused) expect([e.status, e.errorCode, e.kind]).toEqual([429, 'TOO_MANY_REQUESTS', 'retryable']);
  });

  test('429 THRESHOLD_EXCEEDED is credits, with Retry-After in seconds', async () => {
    emulator.knobs.dailyCredits = 1;
    await remove();
    const e = (await rejection(remove(['1060099000000334002']))) as ZohoApiError;
    expect([e.status, e.errorCode, e.kind, e.code]).toEqual([429, 'THRESHOLD_EXCEEDED', 'credits', 'CREDITS_EXHAUSTED']);
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(86_400);
  });

  test('404 for an unknown label is not_found', async () => {
    const e = (await rejection(remove([user], '24073000009999999'))) as ZohoApiError;
    expect([e.status, e.errorCode, e.kind]).toEqual([404, 'URL_NOT_FOUND', 'not_found']);
  });

  test('422 INVALID_DATA on an unknown user ID is a refusal (which row is to blame is judged against the batch), and nothing of the batch is applied', async () => {
    const e = (await rejection(remove([user, '1060099000000999999']))) as ZohoApiError;
    expect([e.status, e.errorCode, e.kind]).toEqual([422, 'INVALID_DATA', 'refused']);
    expect(e.fieldErrors).toEqual([{ fieldName: '/userIds/1', errorType: 'invalid', errorMessage: 'user 1060099000000999999 does not exist' }]);
    expect(emulator.state.has(label, user)).toBe(true);
  });

  test('RESOURCE_SIZE_EXCEEDED is too_large', async () => {
    emulator.knobs.maxIdsPerCall = 1;
    const e = (await rejection(remove([user, '1060099000000334002']))) as ZohoApiError;
    expect([e.status, e.errorCode, e.kind]).toEqual([422, 'RESOURCE_SIZE_EXCEEDED', 'too_large']);
  });

  test('413 is too_large; other 4xx are refusals', async () => {
    emulator.knobs.inject = [
      { status: 413, errorCode: 'PAYLOAD_TOO_LARGE', times: 1 },
      { status: 400, errorCode: 'INVALID_REQUEST', times: 1 },
    ];
    expect(((await rejection(remove())) as ZohoApiError).kind).toBe('too_large');
    expect(((await rejection(remove())) as ZohoApiError).kind).toBe('refused');
  });

  test('a per-ID failure inside a by-user 200 is an answer, not an error', async () => {
    const answer = await clientFor(emulator).call('removeLabelsFromUser', {
      path: { userId: user },
      body: { labelIds: [label, '24073000009999999'] },
    });
    expect(answer.results).toEqual([
      { success: true, id: label, errors: null },
      { success: false, id: '24073000009999999', errors: { errorCode: 'INVALID_DATA', httpCode: 422, error: 'Label not found' } },
    ]);
    expect(emulator.state.has(label, user)).toBe(false);
  });
});

describe('classify (pure)', () => {
  test.each([
    [500, undefined, 'retryable'],
    [503, 'SERVICE_UNAVAILABLE', 'retryable'],
    [429, 'TOO_MANY_REQUESTS', 'retryable'],
    [429, 'THRESHOLD_EXCEEDED', 'credits'],
    [401, 'UNAUTHORIZED', 'auth'],
    [401, 'INVALID_OAUTH', 'auth'],
    [401, 'SCOPE_MISMATCH', 'auth'],
    [403, 'SCOPE_MISMATCH', 'auth'],
    [401, 'OAUTH_ORG_MISMATCH', 'auth'],
    [403, 'FORBIDDEN', 'auth'],
    [403, 'LICENSE_ACCESS_LIMITED', 'auth'],
    [404, 'URL_NOT_FOUND', 'not_found'],
    [422, 'INVALID_DATA', 'refused'],
    [422, 'UNPROCESSABLE_ENTITY', 'refused'],
    [422, 'RESOURCE_SIZE_EXCEEDED', 'too_large'],
    [413, undefined, 'too_large'],
    [400, 'INVALID_REQUEST', 'refused'],
  ] as const)('%i %s → %s', (status, errorCode, kind) => {
    expect(classify(status, errorCode === undefined ? undefined : { errorCode })).toBe(kind);
  });

  test('a 422 that names the size is too_large; any other 422 is a refusal, never a final not_found by itself', () => {
    expect(classify(422, { errorCode: 'INVALID_DATA', message: 'The number of userIds exceeds the maximum' })).toBe('too_large');
    expect(classify(422, { errorCode: 'INVALID_DATA', errors: [{ fieldName: '/userIds/3', errorType: 'invalid' }] })).toBe('refused');
    expect(classify(422, { errorCode: 'UNPROCESSABLE_ENTITY', message: "Extra query parameter 'x' is present" })).toBe('refused');
  });
});
