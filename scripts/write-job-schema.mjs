// Writes schema/job.schema.json (what editors read through a job's "$schema")
// from its one source, src/jobs/jobSchema.ts, as built into dist/:
// `npm run schema:write`. test/jobSchema.test.ts fails while the two differ.
import { writeFileSync } from 'node:fs';
import { jobSchema } from '../dist/jobs/jobSchema.js';

writeFileSync(new URL('../schema/job.schema.json', import.meta.url), `${JSON.stringify(jobSchema, null, 2)}\n`);
