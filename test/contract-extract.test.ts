// The contract extract (contract/zoho-desk-extract.json) that the OAS contract
// tests validate against: what scripts/extract-contract.mjs cuts from Zoho's
// files, that it covers the endpoint table, and that the committed copy is what
// the script makes from ../shared/zoho-oas/ wherever that folder exists.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildExtract, danglingRefs, defaultOasDir, extractFile, javaToJs, serialize, type ContractExtract, type Json } from '../scripts/extract-contract.mjs';
import { endpoints } from '../src/zoho/endpoints.js';
import { tempDir } from './helpers/tempDirs.js';

const committedText = readFileSync(extractFile, 'utf8');
const committed = JSON.parse(committedText) as ContractExtract;
const specPresent = existsSync(defaultOasDir);

/** Every [key, value, parent key] of the objects inside `node`. */
function entries(node: unknown, parentKey = ''): [string, unknown, string][] {
  if (Array.isArray(node)) return node.flatMap((n) => entries(n, parentKey));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => [[k, v, parentKey] as [string, unknown, string], ...entries(v, k)]);
}

describe('the contract extract (contract/zoho-desk-extract.json)', () => {
  test('holds every operation of the endpoint table (after a change to the table: npm run contract:extract)', () => {
    const missing = Object.values(endpoints).map((e) => e.operationId).filter((id) => !committed.operations.includes(id));
    expect(missing).toEqual([]);
  });

  test('carries every component its $refs reach, and every pattern compiles as a JavaScript unicode regex', () => {
    expect(danglingRefs(committed.files)).toEqual([]);
    const patterns = entries(committed.files).filter(([k, v, parent]) => k === 'pattern' && parent !== 'properties' && typeof v === 'string');
    expect(patterns.length).toBeGreaterThan(10);
    for (const [, p] of patterns) expect(() => new RegExp(p as string, 'u')).not.toThrow();
  });

  test('holds no prose and no examples (a "description" only as a property name)', () => {
    const prose = entries(committed.files).filter(([k, , parent]) => ['description', 'summary', 'title', 'example', 'examples', 'tags'].includes(k) && parent !== 'properties');
    expect(prose.map(([k, , parent]) => `${parent}.${k}`)).toEqual([]);
  });

  // One test in every clone, so `npm test` counts the same everywhere and skips nothing:
  // where Zoho's files are, it compares; where they are not, it says so in its name and
  // checks what can be checked without them (a digest recorded for each file carried).
  const compare = specPresent
    ? `equals what scripts/extract-contract.mjs makes from ${defaultOasDir} (if not: npm run contract:extract)`
    : `records a SHA-256 of each OAS file it was cut from (${defaultOasDir} is absent in this clone: the byte-for-byte comparison runs where it exists)`;
  test(compare, () => {
    for (const file of Object.keys(committed.files)) expect(committed.sha256[file]).toMatch(/^[0-9a-f]{64}$/);
    if (!specPresent) return;
    const fresh = buildExtract(defaultOasDir, committed.operations);
    expect(committed.sha256).toEqual(fresh.sha256);
    expect(committed).toEqual(fresh);
    expect(committedText).toBe(serialize(fresh));
  });
});

describe('scripts/extract-contract.mjs', () => {
  // A small OAS folder with each defect the real files have.
  const spec: Record<string, Json> = {
    'A.json': {
      openapi: '3.1.0',
      info: { title: 'A', version: '1' },
      paths: {
        '/things/{id}': {
          get: {
            tags: ['T'],
            summary: 'Get a thing',
            description: 'Prose.',
            operationId: 'getThing',
            security: [{ oauth: ['x'] }],
            parameters: [
              { name: 'id', in: 'path', required: true, description: 'The id', schema: { type: 'string', pattern: '[0-9a-z\\&\\:\\P{InBasicLatin}]+' } },
              { $ref: './Common.json#/components/parameters/orgId' },
            ],
            responses: {
              '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/thing' }, examples: { one: { value: { a: 1 } } } } } },
              '500': { $ref: './Gone.json#/components/responses/error' },
            },
          },
        },
        '/other': { get: { operationId: 'other', responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/unused' } } } } } } },
      },
      components: {
        schemas: {
          thing: { allOf: [{ $ref: '#/components/schemas/base' }, { type: 'object', properties: { extra: { type: 'string' } }, additionalProperties: false }] },
          base: { type: 'object', title: 'Base', properties: { description: { type: 'string', example: 'x' }, id: { type: 'string' } }, required: ['description'], additionalProperties: false },
          unused: { type: 'object' },
        },
      },
    },
    'Common.json': { components: { parameters: { orgId: { name: 'orgId', in: 'query', schema: { type: 'integer' } } }, schemas: { unrelated: { type: 'string' } } } },
  };

  test('cuts the named operations with what they reach, repairs the three defects once, and drops prose and examples', async () => {
    const dir = await tempDir();
    for (const [file, doc] of Object.entries(spec)) await writeFile(join(dir, file), JSON.stringify(doc));
    const extract = buildExtract(dir, ['getThing']);

    expect(extract.operations).toEqual(['getThing']);
    expect(Object.keys(extract.sha256)).toEqual(['A.json', 'Common.json']);
    expect(extract.files).toEqual({
      'A.json': {
        paths: {
          '/things/{id}': {
            get: {
              operationId: 'getThing',
              parameters: [
                { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '[0-9a-z&:\\u{80}-\\u{10FFFF}]+' } },
                { $ref: './Common.json#/components/parameters/orgId' },
              ],
              responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/thing' } } } }, '500': {} },
              // the scopes a call needs are part of the contract
              security: [{ oauth: ['x'] }],
            },
          },
        },
        components: {
          schemas: {
            base: { type: 'object', properties: { description: { type: 'string' }, id: { type: 'string' } }, required: ['description'] },
            thing: { allOf: [{ $ref: '#/components/schemas/base' }, { type: 'object', properties: { extra: { type: 'string' } } }], unevaluatedProperties: false },
          },
        },
      },
      'Common.json': { components: { parameters: { orgId: { name: 'orgId', in: 'query', schema: { type: 'integer' } } } } },
    });
    expect(() => buildExtract(dir, ['getThing', 'noSuchOperation'])).toThrow(/noSuchOperation/);
  });

  test('Java patterns become JavaScript unicode patterns that match the same strings', () => {
    const js = new RegExp(`^${javaToJs('[a-z\\-\\&\\P{InBasicLatin}]+')}$`, 'u');
    expect(['ab-&', 'é', 'Zoë', '日本', '😀'].map((s) => js.test(s))).toEqual([true, true, false, true, true]);
    expect(javaToJs('(ht|f)tp(s?)\\://\\w+')).toBe('(ht|f)tp(s?)://\\w+');
    expect(() => javaToJs('\\p{IsLatin}+')).toThrow(/no translation/);
  });
});
