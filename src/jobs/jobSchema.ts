// The JSON Schema of a job file: the one source of what `zdlabels schema`
// prints, what schema/job.schema.json holds (written from this object by
// `npm run schema:write`, and checked equal to it by test/jobSchema.test.ts),
// what Ajv validates a job against, and the TypeScript type of a job
// (src/jobs/job.ts derives it with json-schema-to-ts). It is TypeScript, not
// JSON, because only an `as const` object keeps the literal types the Job type
// is derived from. The command line checks numbers by the same ranges
// (commands/optionTable.ts). Edit it here, then run `npm run schema:write`.
import { envVariableNamePattern, envVariables, type EnvVariable } from '../zoho/config.js';

const zohoId = { pattern: '^[0-9]+$', description: 'A Zoho ID: digits only, as a string (17-19 digit IDs do not survive as JSON numbers).' } as const;

/** Under `env`: each setting's variable, renamed. */
type EnvProperty<V extends EnvVariable> = { readonly type: 'string'; readonly pattern: string; readonly description: `Name of the variable to read instead of ${V}.` };

function envProperties(): { readonly [V in EnvVariable]: EnvProperty<V> } {
  const entries = envVariables.map((v) => [v, { type: 'string', pattern: envVariableNamePattern, description: `Name of the variable to read instead of ${v}.` }]);
  return Object.fromEntries(entries) as { [V in EnvVariable]: EnvProperty<V> };
}

/** What an action requires, and what it refuses (see refuses). */
function when<const A extends string, const T extends object>(action: A, then: T) {
  return { if: { properties: { action: { const: action } }, required: ['action'] }, then } as const;
}

/** The keys an action does not use: present, they are refused as "not used by action …". */
function refuses<const K extends readonly string[]>(...keys: K): { readonly [P in K[number]]: false } {
  return Object.fromEntries(keys.map((k) => [k, false])) as { readonly [P in K[number]]: false };
}

/** export and prune: either `labels` or `allLabels: true`. */
const labelsOrAll = [
  { required: ['labels'], properties: { allLabels: { const: false } } },
  { required: ['allLabels'], properties: { allLabels: { const: true }, labels: false } },
] as const;

export const jobSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'zdlabels job',
  description:
    "A zdlabels job file, run with `zdlabels run <job.json>`. Relative paths resolve against the job file's folder. Never put a secret in a job file: name the environment variables that hold them under `env`.",
  type: 'object',
  additionalProperties: false,
  required: ['name', 'action'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: "The job's name: used in `{job}`, the lock and the manifest." },
    description: { type: 'string' },
    action: { enum: ['remove', 'retire-label', 'reconcile', 'restore', 'export', 'prune'], description: 'What the job does.' },
    input: {
      type: 'string',
      minLength: 1,
      description: 'remove: the CSV naming a user (user_id or email) and a label (label_id or label name) per row; restore: the results file whose `removed` rows are added back.',
    },
    label: { type: 'string', pattern: zohoId.pattern, description: 'retire-label, reconcile: the label ID.' },
    labels: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'export: label IDs; prune: label IDs or names.' },
    allLabels: { type: 'boolean', description: 'export, prune: every label (of helpCenterId, if given).' },
    keep: { type: 'string', minLength: 1, description: 'reconcile: CSV with a user_id column, who should hold the label; prune: who is never removed.' },
    status: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: ['ACTIVE', 'DISABLED', 'DELETED'] },
      description: "prune: remove members with one of these statuses (from the label's member list).",
    },
    inactiveSince: {
      type: 'string',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?Z)?$',
      description: 'prune: remove members with no activity since this date (YYYY-MM-DD, UTC) or ISO instant.',
    },
    inactiveFor: { type: 'string', pattern: '^[1-9][0-9]*d$', description: 'prune: remove members with no activity for this many days, e.g. "180d" (counted from each run\'s start).' },
    snapshot: { type: 'string', minLength: 1, description: 'retire-label: where the members are written first.' },
    out: {
      type: 'string',
      minLength: 1,
      pattern: '^([^{}]|\\{(job|date|time)\\})*$',
      description: 'Results (export: members) file. Placeholders: {job}, {date} (YYYY-MM-DD, UTC), {time} (HHMMSS, UTC).',
    },
    by: { enum: ['label', 'user', 'auto'] },
    concurrency: { type: 'integer', minimum: 1, description: 'Most calls in flight (Zoho: Free 5 … Enterprise 25).' },
    batchSize: { type: 'integer', minimum: 1 },
    // With the backoff capped at 30 s, 100 retries already keep one call going for about 50 minutes.
    retries: { type: 'integer', minimum: 0, maximum: 100, description: 'Retries of a call that failed for a passing reason (5xx, network, timeout), at most 100.' },
    dryRun: { type: 'boolean' },
    verify: { type: 'boolean' },
    checkMembers: {
      type: 'boolean',
      description: "remove: read each label's members first; a row whose user is not one ends not_member, unsent (so restore puts back exactly who held the label).",
    },
    maxRemovals: { type: 'integer', minimum: 0 },
    helpCenterId: { type: 'string', ...zohoId },
    yes: { type: 'boolean', description: 'retire-label, reconcile: do not ask (unattended runs must say so).' },
    check: { type: 'boolean', description: 'reconcile: report drift only (exit 4 if any).' },
    // 0 is refused rather than read as "no timeout": a call that never ends would
    // hold a scheduled job's lock for ever. ky refuses more than 2^31 - 1 ms.
    timeout: { type: 'number', exclusiveMinimum: 0, maximum: 86400, description: 'Seconds to wait for one call.' },
    guard: {
      type: 'boolean',
      description: 'Before the first removal, read the smallest target, send its batch alone and read it back; stop (exit 8) and put back anything Zoho removed unasked. Default true.',
    },
    reserveCredits: {
      type: 'integer',
      minimum: 0,
      description: "Stop (exit 6, the rest deferred) before the organization's remaining API credits would fall below this, so other integrations keep working.",
    },
    maxCalls: { type: 'integer', minimum: 1, description: 'Make at most this many API calls in this run (exit 6 when reached, the rest deferred).' },
    env: {
      type: 'object',
      additionalProperties: false,
      description:
        'Which environment variables hold these settings, when not the default names: each value is a variable\'s NAME (capital letters, digits and _), never the secret itself.',
      properties: envProperties(),
    },
  },
  allOf: [
    when('remove', {
      required: ['input'],
      properties: refuses('label', 'labels', 'allLabels', 'keep', 'snapshot', 'yes', 'check', 'status', 'inactiveSince', 'inactiveFor'),
    }),
    when('retire-label', {
      required: ['label'],
      properties: refuses('input', 'labels', 'allLabels', 'keep', 'check', 'status', 'inactiveSince', 'inactiveFor', 'checkMembers'),
    }),
    when('reconcile', {
      required: ['label', 'keep'],
      properties: refuses('input', 'labels', 'allLabels', 'snapshot', 'status', 'inactiveSince', 'inactiveFor', 'checkMembers'),
    }),
    when('restore', {
      required: ['input'],
      properties: refuses('label', 'labels', 'allLabels', 'keep', 'snapshot', 'check', 'by', 'maxRemovals', 'yes', 'status', 'inactiveSince', 'inactiveFor', 'checkMembers'),
    }),
    when('export', {
      properties: {
        ...refuses('input', 'label', 'keep', 'snapshot', 'check', 'by', 'maxRemovals', 'yes', 'dryRun', 'verify'),
        ...refuses('batchSize', 'retries', 'concurrency', 'guard', 'reserveCredits', 'maxCalls', 'status', 'inactiveSince', 'inactiveFor', 'checkMembers'),
        labels: { items: zohoId },
      },
      oneOf: labelsOrAll,
    }),
    when('prune', {
      properties: refuses('input', 'label', 'snapshot', 'check', 'by', 'checkMembers'),
      oneOf: labelsOrAll,
      anyOf: [{ required: ['status'] }, { required: ['inactiveSince'] }, { required: ['inactiveFor'] }],
      not: { required: ['inactiveSince', 'inactiveFor'] },
    }),
  ],
} as const;
