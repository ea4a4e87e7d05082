// The JSON Schema of an emulator seed (`zdlabels emulator --seed FILE`), and
// its validator: every problem listed with its JSON path.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { idPattern } from './ids.js';

/** The ISO instant Zoho's `lastActivity*Time` parameters take (User.json getUsers). */
export const isoInstant = '^(20[2-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(\\.[0-9]{3})?Z$';

const id = { $ref: '#/$defs/id' };
const ids = { type: 'array', items: id };
const object = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties });

const seedSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'zdlabels emulator seed',
  ...object(['organizations', 'helpCenters', 'labels', 'users'], {
    organizations: {
      type: 'array',
      minItems: 1,
      items: object(['id'], { id, companyName: { type: 'string' }, portalName: { type: 'string' } }),
    },
    helpCenters: { type: 'array', minItems: 1, items: object(['id', 'name', 'orgId'], { id, name: { type: 'string' }, orgId: id }) },
    labels: { type: 'array', items: object(['id', 'name', 'helpCenterId'], { id, name: { type: 'string' }, helpCenterId: id }) },
    users: {
      type: 'array',
      items: object(['id', 'name', 'email'], {
        id,
        name: { type: 'string' },
        email: { type: 'string' },
        status: { enum: ['ACTIVE', 'DISABLED', 'DELETED'] },
        lastAccessedTime: { anyOf: [{ type: 'null' }, { type: 'string', pattern: isoInstant }] },
        helpCenterIds: ids,
      }),
    },
    memberships: { type: 'array', items: object(['labelId', 'userIds'], { labelId: id, userIds: ids }) },
  }),
  $defs: { id: { type: 'string', pattern: idPattern } },
} as const;

let compiled: ValidateFunction | undefined;
const validator = (): ValidateFunction =>
  (compiled ??= new Ajv2020({ allErrors: true, verbose: true, strict: true }).compile(seedSchema));

const shown = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function explain(e: ErrorObject): string {
  const at = e.instancePath || '/';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at}: missing \`${String(p.missingProperty)}\``;
    case 'additionalProperties':
      return `${at}: unknown key \`${String(p.additionalProperty)}\``;
    case 'pattern':
      return p.pattern === isoInstant ? `${at}: ${shown(e.data)} is not an ISO instant like 2026-01-05T09:00:00.000Z` : `${at}: must be a string of digits (a Zoho ID), got ${shown(e.data)}`;
    case 'type':
      if (p.type === 'null') return ''; // the other branch of `null or …` says what is wrong
      if (typeof e.data === 'number' && e.schemaPath.startsWith('#/$defs/id')) return `${at}: must be a string of digits, got the number ${shown(e.data)} (17-19 digit numbers lose digits in JSON)`;
      return `${at}: expected ${String(p.type)}, got ${shown(e.data)}`;
    case 'enum':
      return `${at}: ${shown(e.data)} is not allowed; allowed: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'minItems':
      return `${at}: needs at least ${String(p.limit)} item`;
    case 'anyOf':
      return ''; // its branches' errors say what is wrong
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}

/** The problems of a seed value against the schema ([] when it fits). */
export function schemaProblems(value: unknown): string[] {
  const validate = validator();
  if (validate(value)) return [];
  return [...new Set((validate.errors ?? []).map(explain).filter((line) => line !== ''))];
}
