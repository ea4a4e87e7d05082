// One source for a job's schema and type: schema/job.schema.json is written from
// src/jobs/jobSchema.ts, and the Job type is derived from it, each action's
// required and refused keys included (the @ts-expect-error lines are checked by
// `npm run typecheck`, part of `npm test`: a looser Job type fails it).
import { readFile } from 'node:fs/promises';
import type { Job } from '../src/jobs/job.js';
import { checkJob } from '../src/jobs/loadJob.js';
import { jobSchema } from '../src/jobs/jobSchema.js';
import { envVariables } from '../src/zoho/config.js';

test('schema/job.schema.json is the schema the tool validates with, to the byte (else: npm run schema:write)', async () => {
  const committed = await readFile('schema/job.schema.json', 'utf8');
  expect(committed).toBe(`${JSON.stringify(jobSchema, null, 2)}\n`);
});

test("the schema's env keys are the settings' variable names, from their one table", () => {
  expect(Object.keys(jobSchema.properties.env.properties)).toEqual(envVariables);
  expect(envVariables).toEqual(['ZOHO_DC', 'ZOHO_DESK_URL', 'ZOHO_ACCOUNTS_URL', 'ZOHO_ORG_ID', 'ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN', 'ZOHO_ACCESS_TOKEN']);
});

test('what the type allows, the validator allows; what the type refuses, the validator refuses', () => {
  const valid: Job[] = [
    { name: 'a', action: 'remove', input: 'x.csv', env: { ZOHO_CLIENT_SECRET: 'HR_SECRET' } },
    { name: 'b', action: 'retire-label', label: '24073000002958023', yes: true },
    { name: 'c', action: 'reconcile', label: '24073000002958023', keep: 'keep.csv' },
    { name: 'd', action: 'restore', input: 'x.results.csv' },
    { name: 'e', action: 'export', allLabels: true },
    { name: 'f', action: 'prune', labels: ['MVP'], status: ['DISABLED'] },
  ];
  for (const job of valid) expect(checkJob(job, 'test')).toEqual(job);

  // @ts-expect-error remove requires input
  const noInput: Job = { name: 'a', action: 'remove' };
  // @ts-expect-error reconcile requires keep
  const noKeep: Job = { name: 'c', action: 'reconcile', label: '24073000002958023' };
  // @ts-expect-error remove refuses label
  const stray: Job = { name: 'a', action: 'remove', input: 'x.csv', label: '24073000002958023' };
  // @ts-expect-error env names only the settings' variables
  const badEnv: Job = { name: 'a', action: 'remove', input: 'x.csv', env: { ZOHO_PASSWORD: 'X' } };
  for (const job of [noInput, noKeep, stray, badEnv]) expect(() => checkJob(job, 'test')).toThrow('invalid job');
});

test('a job narrowed by its action has its required keys as plain strings', () => {
  const job = checkJob({ name: 'c', action: 'reconcile', label: '24073000002958023', keep: 'keep.csv' }, 'test');
  if (job.action !== 'reconcile') throw new Error('narrowing failed');
  const required: [string, string] = [job.label, job.keep];
  expect(required).toEqual(['24073000002958023', 'keep.csv']);
});
