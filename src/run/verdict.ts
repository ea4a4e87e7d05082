// Pure: what one write call's answer means for its rows. No I/O, no state.
import type { ZohoApiError } from '../errors/ZohoApiError.js';
import type { MassActionResponse } from '../zoho/types.js';
import type { Status } from '../rows/types.js';

/** Rows a call finished the same way. */
export interface Finished {
  rows: number[];
  status: Status;
  http: number;
  code?: string | undefined;
  message?: string | undefined;
}

/** What a refusal says about the request, in the few shapes the executor acts on. */
export type RefusalVerdict =
  /** A passing failure (5xx, no answer, 429 too many at once): send again; `free` ones cost no retry. */
  | { do: 'retry'; free: boolean }
  /** Nothing more may be sent this run. */
  | { do: 'stop'; reason: 'auth' | 'credits' }
  /** More IDs than Zoho takes in one call. */
  | { do: 'shrink' }
  /** A 404: the path's label or user may not exist; a read tells. */
  | { do: 'check-path' }
  /** The answer names some of the batch's IDs (not all): those are suspects, the rest can go again. */
  | { do: 'exclude'; rows: number[] }
  /** The answer names a field that is not an ID list, or the request itself (400): every call would fail so. */
  | { do: 'request'; field: string | undefined }
  /** By user: `labelIds` reported missing, though the body has them: perhaps Zoho wants them in the query. */
  | { do: 'labelids-missing' }
  /** Refused without saying which ID, if any, is the cause. */
  | { do: 'unclear' };

/** One batch as the judge sees it: its side and the ID each row put in the body. */
export interface SentBatch {
  by: 'label' | 'user';
  rows: ArrayLike<number>;
  ids: readonly string[];
}

const listField = (by: SentBatch['by']): string => (by === 'label' ? 'userIds' : 'labelIds');

/** `/userIds/3`, `userIds[3]`, `userIds.3`, `userIds` → the list name and index (if any). */
function parseField(field: string): { list: string; index: number | undefined } {
  const m = /^\/?([A-Za-z]+)(?:[/[.](\d+)\]?)?$/.exec(field.trim());
  if (!m) return { list: field, index: undefined };
  return { list: m[1]!, index: m[2] === undefined ? undefined : Number(m[2]) };
}

/**
 * Reads a refusal of a write. A row is a suspect only when the answer names it:
 * its index in the ID list, or its ID in an error about the ID list. A field
 * that is not the ID list (`/orgId`, `/helpCenterId`, …) is about the request.
 */
export function judgeRefusal(e: ZohoApiError, batch: SentBatch): RefusalVerdict {
  if (e.kind === 'retryable') return { do: 'retry', free: e.errorCode === 'TOO_MANY_REQUESTS' };
  if (e.kind === 'auth' || e.kind === 'credits') return { do: 'stop', reason: e.kind };
  if (e.kind === 'too_large') return batch.rows.length > 1 ? { do: 'shrink' } : { do: 'unclear' };
  if (e.status === 404) return { do: 'check-path' };
  if (e.status === 400) return { do: 'request', field: undefined };
  const list = listField(batch.by);
  const named = new Set<number>();
  for (const f of e.fieldErrors ?? []) {
    const { list: name, index } = parseField(f.fieldName ?? '');
    if (name !== list) return { do: 'request', field: f.fieldName };
    if (index !== undefined && index < batch.ids.length) named.add(batch.rows[index]!);
    else if (f.errorType === 'missing') return batch.by === 'user' ? { do: 'labelids-missing' } : { do: 'request', field: f.fieldName };
    else batch.ids.forEach((id, k) => (f.errorMessage ?? '').includes(id) && named.add(batch.rows[k]!));
  }
  // Naming every ID of a batch says nothing about any one of them.
  if (named.size > 0 && named.size < batch.rows.length) return { do: 'exclude', rows: [...named] };
  return { do: 'unclear' };
}

/**
 * A refusal's signature: calls refused "the same way" share it. IDs (digit
 * runs) are blanked so the same refusal of different batches matches, and a
 * field error repeated for several IDs counts once (a 422 naming every
 * refused ID names as many as the batch holds).
 */
export function refusalSignature(e: ZohoApiError): string {
  const fields = [...new Set((e.fieldErrors ?? []).map((f) => `${(f.fieldName ?? '').replace(/\d+/g, '#')}:${f.errorType ?? ''}`))].join(',');
  return `${e.status ?? '-'} ${e.errorCode ?? ''} ${e.detail.replace(/\d+/g, '#')} ${fields}`.trim();
}

/** A by-user answer's per-label results: each row's outcome, and the rows Zoho refused (to be explained by reads). */
export interface ByUserVerdict {
  finished: Finished[];
  refused: { rows: number[]; code: string | undefined; http: number; message: string }[];
}

/**
 * Reads the 200 of `POST /users/{id}/labels/remove`: partial failure inside a
 * success. A label Zoho says it removed is `removed`; one it refused is a
 * suspect to explain (a read tells missing label from non-member); one with
 * no result at all is `failed` and sent again by --resume.
 */
export function judgeByUser(answer: MassActionResponse | undefined, batch: SentBatch): ByUserVerdict {
  const byId = new Map((answer?.results ?? []).map((r) => [r.id ?? '', r]));
  const removed: number[] = [];
  const missing: number[] = [];
  const refused = new Map<string, { rows: number[]; code: string | undefined; http: number; message: string }>();
  batch.ids.forEach((id, k) => {
    const row = batch.rows[k]!;
    const r = byId.get(id);
    if (!r) missing.push(row);
    else if (r.success) removed.push(row);
    else {
      const http = Number(r.errors?.httpCode ?? NaN);
      const code = r.errors?.errorCode ?? undefined;
      const message = r.errors?.error ?? 'refused by Zoho';
      const key = `${code}|${http}|${message}`;
      const group = refused.get(key) ?? { rows: [], code, http: Number.isFinite(http) ? http : 200, message };
      group.rows.push(row);
      refused.set(key, group);
    }
  });
  const finished: Finished[] = [];
  if (removed.length) finished.push({ rows: removed, status: 'removed', http: 200 });
  if (missing.length) finished.push({ rows: missing, status: 'failed', http: 200, message: "Zoho's answer has no result for this label; --resume sends it again" });
  return { finished, refused: [...refused.values()] };
}
