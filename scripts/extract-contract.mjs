#!/usr/bin/env node
// npm run contract:extract [-- --with <operationId> ...]
//
// Writes contract/zoho-desk-extract.json from Zoho's OpenAPI files in
// ../shared/zoho-oas/ (or $ZOHO_OAS_DIR): for the operations of the endpoint
// table (src/zoho/endpoints.ts, read from the build), plus any named with
// --with, only what a contract check needs: method, path, parameters, request
// body, responses and security (scopes), with every component they reach ($ref) carried along
// under its own file and pointer, and no prose (descriptions, summaries,
// titles, tags) or examples. test/helpers/oas.ts validates against it alone,
// so the contract tests run in any clone.
//
// The files have three defects, repaired here once, on the whole folder
// before anything is picked (so an extract behaves exactly as the full files
// did when repaired at load time):
// 1. `$ref`s into files that are not in the folder: removed (validate anything).
// 2. `allOf` compositions whose branches each say `additionalProperties: false`,
//    which makes any object with fields from two branches invalid: the branches
//    (followed through `$ref`s, recursively) lose it, and the composing schema
//    gets `unevaluatedProperties: false`, the strictness the authors meant.
// 3. Java regular expressions: `\P{InBasicLatin}` (any character beyond ASCII)
//    and escapes a JavaScript `u` regex refuses (`\&`, `\:`, ...) are rewritten
//    to the JavaScript pattern that means the same, checked to compile.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const extractFile = fileURLToPath(new URL('../contract/zoho-desk-extract.json', import.meta.url));
export const defaultOasDir = process.env.ZOHO_OAS_DIR ?? fileURLToPath(new URL('../../shared/zoho-oas/', import.meta.url));

const repairs = [
  '$refs into files not in the folder are removed (they validate anything)',
  'allOf branches (through $refs) lose additionalProperties; the composing schema gets unevaluatedProperties: false',
  'Java patterns rewritten as JavaScript unicode patterns (\\P{InBasicLatin} = [\\u{80}-\\u{10FFFF}], no identity escapes)',
];

/** @typedef {Record<string, any>} Json */

/** Every .json file of the folder, parsed, with the SHA-256 of its bytes. */
function loadFolder(dir) {
  const docs = new Map();
  const sha256 = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const bytes = readFileSync(join(dir, file));
    sha256[file] = createHash('sha256').update(bytes).digest('hex');
    docs.set(file, JSON.parse(bytes.toString('utf8')));
  }
  return { docs, sha256 };
}

const unescapePointer = (s) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** A `$ref` as the file it names (relative to `fromFile`) and the pointer's segments. */
function parseRef(ref, fromFile) {
  const [filePart, frag = ''] = ref.split('#');
  const file = filePart ? filePart.replace(/^\.\//, '') : fromFile;
  return { file, segments: frag.split('/').filter(Boolean).map(unescapePointer) };
}

function at(node, segments) {
  let n = node;
  for (const s of segments) n = n && typeof n === 'object' ? n[s] : undefined;
  return n;
}

/** The node a `$ref` names, or undefined when its file or pointer is missing. */
function target(docs, ref, fromFile) {
  const { file, segments } = parseRef(ref, fromFile);
  const node = docs.has(file) ? at(docs.get(file), segments) : undefined;
  return node && typeof node === 'object' ? { file, segments, node } : undefined;
}

/** Calls visit(node, file) on every object inside `node`, depth first. */
function walk(node, file, visit) {
  if (Array.isArray(node)) node.forEach((n) => walk(n, file, visit));
  else if (node && typeof node === 'object') {
    visit(node, file);
    for (const v of Object.values(node)) walk(v, file, visit);
  }
}

function dropMissingRefs(docs) {
  for (const [file, doc] of docs) {
    walk(doc, file, (n) => {
      if (typeof n.$ref === 'string' && !target(docs, n.$ref, file)) delete n.$ref;
    });
  }
}

function repairAllOf(docs) {
  const branches = new Set();
  const holders = [];
  const markBranch = (n, file) => {
    const t = typeof n.$ref === 'string' ? target(docs, n.$ref, file) : { file, node: n };
    if (!t || branches.has(t.node)) return;
    branches.add(t.node);
    for (const b of t.node.allOf ?? []) markBranch(b, t.file);
  };
  for (const [file, doc] of docs) {
    walk(doc, file, (n, f) => {
      if (!Array.isArray(n.allOf)) return;
      holders.push(n);
      for (const b of n.allOf) markBranch(b, f);
    });
  }
  for (const b of branches) {
    delete b.additionalProperties;
    delete b.unevaluatedProperties;
  }
  for (const h of holders.filter((x) => !branches.has(x))) {
    delete h.additionalProperties;
    h.unevaluatedProperties = false;
  }
}

const nonAscii = '\\u{80}-\\u{10FFFF}';
const syntaxChars = new Set('^$\\.*+?()[]{}|/');

/** A Java regular expression as the JavaScript `u` pattern that means the same. */
export function javaToJs(java) {
  let js = '';
  let inClass = false;
  for (let i = 0; i < java.length; i += 1) {
    const c = java[i];
    if (c !== '\\') {
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      js += c;
      continue;
    }
    const next = java[i + 1] ?? '';
    if (java.startsWith('P{InBasicLatin}', i + 1)) {
      js += inClass ? nonAscii : `[${nonAscii}]`;
      i += 'P{InBasicLatin}'.length;
    } else if (/[pP]/.test(next)) {
      throw new Error(`pattern ${JSON.stringify(java)}: Java class \\${next}{…} has no translation here; add one`);
    } else if (/[A-Za-z0-9]/.test(next) || syntaxChars.has(next) || (next === '-' && inClass)) {
      js += `\\${next}`;
      i += 1;
    } else {
      js += next; // an identity escape (\& \: \' ...): the character itself
      i += 1;
    }
  }
  new RegExp(js, 'u'); // throws on anything left untranslated
  return js;
}

function repairPatterns(docs) {
  for (const [file, doc] of docs) {
    walk(doc, file, (n) => {
      if (typeof n.pattern === 'string') n.pattern = javaToJs(n.pattern);
    });
  }
}

const opFields = ['operationId', 'parameters', 'requestBody', 'responses', 'security'];

/** Where each operationId is: file, path, method; throws on a missing or doubled one. */
function findOperations(docs, operationIds) {
  const found = new Map();
  for (const [file, doc] of docs) {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        if (!operationIds.includes(op?.operationId)) continue;
        if (found.has(op.operationId)) throw new Error(`operationId ${op.operationId} appears twice (${found.get(op.operationId).file} and ${file})`);
        found.set(op.operationId, { file, path, method, op });
      }
    }
  }
  const missing = operationIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw new Error(`operationId(s) not in the OAS folder: ${missing.join(', ')}`);
  return [...found.values()];
}

function setAt(doc, segments, value) {
  let n = doc;
  for (const s of segments.slice(0, -1)) n = n[s] ??= {};
  n[segments.at(-1)] = value;
}

/** The picked operations, and every node their `$ref`s reach, under the same files and pointers. */
function pickReached(docs, operations) {
  const out = new Map();
  const copied = new Map(); // file -> pointers copied whole
  const queue = [];
  const carry = (file, segments, value) => {
    if (!out.has(file)) out.set(file, {});
    setAt(out.get(file), segments, value);
    walk(value, file, (n, f) => {
      if (typeof n.$ref === 'string') queue.push(parseRef(n.$ref, f));
    });
  };
  for (const { file, path, method, op } of operations) {
    carry(file, ['paths', path, method], Object.fromEntries(opFields.filter((k) => k in op).map((k) => [k, structuredClone(op[k])])));
  }
  while (queue.length > 0) {
    const { file, segments } = queue.shift();
    const key = segments.join('/');
    const done = copied.get(file) ?? [];
    if (done.some((p) => key === p || key.startsWith(`${p}/`))) continue;
    copied.set(file, [...done, key]);
    carry(file, segments, structuredClone(at(docs.get(file), segments)));
  }
  return out;
}

// Keys that are prose or examples, dropped from every object but the maps
// whose keys are names (property names, components, status codes, media types).
const prose = new Set(['description', 'summary', 'title', 'example', 'examples', '$comment', 'externalDocs', 'tags']);
const nameMaps = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions', 'paths', 'responses', 'content', 'headers', 'encoding', 'schemas', 'parameters', 'requestBodies']);
const data = new Set(['enum', 'const', 'default']);

function stripProse(node, keysAreNames = false) {
  if (Array.isArray(node)) return node.map((n) => stripProse(n));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (keysAreNames) out[k] = stripProse(v);
    else if (prose.has(k) || k.startsWith('x-')) continue;
    else out[k] = data.has(k) ? v : stripProse(v, nameMaps.has(k) && !Array.isArray(v));
  }
  return out;
}

/** The same object with the keys of path and component maps sorted, for stable diffs. */
function sortMaps(doc) {
  const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  const out = {};
  if (doc.paths) out.paths = sorted(doc.paths);
  if (doc.components) out.components = Object.fromEntries(Object.keys(doc.components).sort().map((k) => [k, sorted(doc.components[k])]));
  for (const k of Object.keys(doc).filter((x) => x !== 'paths' && x !== 'components').sort()) out[k] = doc[k];
  return out;
}

/** Every `$ref` of the extract resolves inside it; throws otherwise. */
export function danglingRefs(files) {
  const docs = new Map(Object.entries(files));
  const dangling = [];
  for (const [file, doc] of docs) {
    walk(doc, file, (n) => {
      if (typeof n.$ref === 'string' && !target(docs, n.$ref, file)) dangling.push(`${file}: ${n.$ref}`);
    });
  }
  return dangling;
}

/** The extract of `operationIds` from the OAS folder `dir`. */
export function buildExtract(dir, operationIds) {
  const { docs, sha256 } = loadFolder(dir);
  dropMissingRefs(docs);
  repairAllOf(docs);
  repairPatterns(docs);
  const ids = [...new Set(operationIds)].sort();
  const picked = pickReached(docs, findOperations(docs, ids));
  const files = Object.fromEntries([...picked.keys()].sort().map((f) => [f, sortMaps(stripProse(picked.get(f)))]));
  const dangling = danglingRefs(files);
  if (dangling.length > 0) throw new Error(`the extract has $refs to nodes it does not carry: ${dangling.join('; ')}`);
  return {
    $comment: 'Generated by `npm run contract:extract` (scripts/extract-contract.mjs) from Zoho Desk OpenAPI files (zoho/zohodesk-oas v1.0, copied in ../shared/zoho-oas/). Do not edit by hand.',
    operations: ids,
    sha256,
    repairs,
    files,
  };
}

export function serialize(extract) {
  return `${JSON.stringify(extract, null, 2)}\n`;
}

async function main(argv) {
  const extra = argv.flatMap((a, i) => (argv[i - 1] === '--with' ? [a] : []));
  const unknown = argv.filter((a, i) => a !== '--with' && argv[i - 1] !== '--with');
  if (unknown.length > 0 || argv.at(-1) === '--with') {
    console.error(`usage: npm run contract:extract [-- --with <operationId> ...] (got: ${argv.join(' ')})`);
    return 2;
  }
  if (!existsSync(defaultOasDir)) {
    console.error(`contract:extract: no OAS folder at ${defaultOasDir}; the extract is made where Zoho's files are (or set ZOHO_OAS_DIR). The committed ${relative(process.cwd(), extractFile)} is unchanged.`);
    return 2;
  }
  const table = new URL('../dist/zoho/endpoints.js', import.meta.url);
  if (!existsSync(table)) {
    console.error('contract:extract: dist/zoho/endpoints.js is missing; run `npm run build` first (npm run contract:extract does).');
    return 2;
  }
  const { endpoints } = await import(table.href);
  const ids = [...Object.values(endpoints).map((e) => e.operationId), ...extra];
  const extract = buildExtract(defaultOasDir, ids);
  writeFileSync(extractFile, serialize(extract));
  console.log(`wrote ${relative(process.cwd(), extractFile)}: ${extract.operations.length} operations (${extract.operations.join(', ')}) from ${Object.keys(extract.files).join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
