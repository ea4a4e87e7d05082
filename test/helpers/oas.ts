// Validates requests and answers against the contract extract committed in
// contract/zoho-desk-extract.json: the operations of the endpoint table, cut
// from Zoho's own OpenAPI files (JSON Schema 2020-12 inside OpenAPI 3.1) by
// scripts/extract-contract.mjs, with the files' three defects (allOf branches'
// additionalProperties, Java regexes, $refs to missing files) already repaired
// there. Each file of the extract keeps its name and JSON pointers, so `$ref`s
// between them resolve as in the originals. No folder outside the repository
// is read: the contract tests run in any clone.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

const here = dirname(fileURLToPath(import.meta.url));
const contractFile = resolve(here, '..', '..', 'contract', 'zoho-desk-extract.json');
const contract = JSON.parse(readFileSync(contractFile, 'utf8')) as { operations: string[]; sha256: Record<string, string>; files: Record<string, Json> };
const base = 'https://zoho-oas.invalid/';
const docs = new Map(Object.entries(contract.files));

function pointer(doc: Json, frag: string): unknown {
  let node: unknown = doc;
  for (const raw of frag.replace(/^#?\/?/, '').split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Json | undefined)?.[key];
  }
  return node;
}

const ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false, allErrors: true });
for (const [file, doc] of docs) ajv.addSchema(doc, base + file);

interface Operation {
  file: string;
  path: string;
  method: string;
  op: Json;
}

export function operation(operationId: string): Operation {
  for (const [file, doc] of docs) {
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item)) {
        if ((op as Json).operationId === operationId) return { file, path, method: method.toUpperCase(), op: op as Json };
      }
    }
  }
  throw new Error(`operation ${operationId} not in ${contractFile}: run npm run contract:extract (it reads the endpoint table)`);
}

function errorsOf(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Follows a `$ref` (if any) to the component it names, returning its file and JSON pointer. */
function locate(node: Json, file: string, pointerSoFar: string): { file: string; ptr: string; node: Json } {
  if (typeof node.$ref === 'string') {
    const [filePart, frag = ''] = node.$ref.split('#');
    const f = filePart ? filePart.replace(/^\.\//, '') : file;
    return locate(pointer(docs.get(f)!, frag) as Json, f, frag);
  }
  return { file, ptr: pointerSoFar, node };
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Problems of an answer against the operation's response for that status ([] when valid). */
export function checkResponse(operationId: string, status: number, body: unknown): string[] {
  const o = operation(operationId);
  const responses = o.op.responses as Record<string, Json>;
  const declared = responses[String(status)];
  if (!declared) return [`status ${status} is not declared for ${operationId} (declared: ${Object.keys(responses).join(', ')})`];
  const r = locate(declared, o.file, `/paths/${escape(o.path)}/${o.method.toLowerCase()}/responses/${status}`);
  const content = r.node.content as Record<string, Json> | undefined;
  if (!content) return body === undefined ? [] : [`status ${status} of ${operationId} has no body, got ${JSON.stringify(body)}`];
  const validate = ajv.getSchema(`${base}${r.file}#${r.ptr}/content/application~1json/schema`)!;
  return errorsOf(validate, body);
}

/** Problems of a request body against the operation's requestBody ([] when valid). */
export function checkRequestBody(operationId: string, body: unknown): string[] {
  const o = operation(operationId);
  if (!o.op.requestBody) return body === undefined ? [] : [`${operationId} takes no body`];
  const r = locate(o.op.requestBody as Json, o.file, `/paths/${escape(o.path)}/${o.method.toLowerCase()}/requestBody`);
  return errorsOf(ajv.getSchema(`${base}${r.file}#${r.ptr}/content/application~1json/schema`)!, body);
}

/**
 * Problems of the path and query parameters sent, against the operation's
 * parameters: unknown names, missing required ones, values off their schema.
 * `orgId` is left out: the spec models it as a query parameter, Zoho's docs
 * (and zdlabels) send it as a header, which the test checks apart.
 */
export function checkParameters(operationId: string, sent: { path: Record<string, string>; query: Record<string, string> }): string[] {
  const o = operation(operationId);
  const problems: string[] = [];
  const params = ((o.op.parameters ?? []) as Json[]).map((p, i) => locate(p, o.file, `/paths/${escape(o.path)}/${o.method.toLowerCase()}/parameters/${i}`));
  const byName = new Map(params.filter((p) => p.node.name !== 'orgId').map((p) => [`${String(p.node.in)}:${String(p.node.name)}`, p]));
  for (const [where, values] of [['path', sent.path], ['query', sent.query]] as const) {
    for (const [name, raw] of Object.entries(values)) {
      const p = byName.get(`${where}:${name}`);
      if (!p) {
        problems.push(`${where} parameter ${name} is not in the spec of ${operationId}`);
        continue;
      }
      const types = ([] as unknown[]).concat((p.node.schema as Json | undefined)?.type ?? []);
      const value = types.includes('integer') && !types.includes('string') && /^\d+$/.test(raw) ? Number(raw) : raw;
      const validate = ajv.getSchema(`${base}${p.file}#${p.ptr}/schema`)!;
      problems.push(...errorsOf(validate, value).map((e) => `${where} ${name}: ${e}`));
    }
  }
  for (const p of byName.values()) {
    if (p.node.required === true && !(String(p.node.name) in (p.node.in === 'path' ? sent.path : sent.query))) {
      problems.push(`required ${String(p.node.in)} parameter ${String(p.node.name)} not sent`);
    }
  }
  return problems;
}

/** The generic error body (Common.json errorJson). */
export function checkErrorBody(body: unknown): string[] {
  return errorsOf(ajv.getSchema(`${base}Common.json#/components/schemas/errorJson`)!, body);
}
