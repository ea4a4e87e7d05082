import type { FromSchema } from 'json-schema-to-ts';
import type { jobSchema } from './jobSchema.js';

/**
 * A job file, as its schema allows it: one type per action, each with the keys
 * that action requires (`input` for remove, `label` and `keep` for reconcile …)
 * and without the keys it refuses, so a job narrowed by `action` needs no `!`.
 */
export type Job = FromSchema<typeof jobSchema, { parseIfThenElseKeywords: true; parseNotKeyword: true }>;

/** Expands {job}, {date} (YYYY-MM-DD) and {time} (HHMMSS), in UTC so a schedule's runs sort. */
export function expandTemplate(template: string, job: string, now: Date): string {
  const iso = now.toISOString();
  return template.replace(/\{(job|date|time)\}/g, (_m, key: string) =>
    key === 'job' ? job : key === 'date' ? iso.slice(0, 10) : iso.slice(11, 19).replace(/:/g, ''),
  );
}
