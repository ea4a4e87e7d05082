/** A job file, as the schema in schema/job.schema.json allows it. */
export interface Job {
  name: string;
  description?: string;
  action: 'remove' | 'retire-label' | 'reconcile' | 'restore' | 'export' | 'prune';
  input?: string;
  label?: string;
  labels?: string[];
  allLabels?: boolean;
  keep?: string;
  status?: ('ACTIVE' | 'DISABLED' | 'DELETED')[];
  inactiveSince?: string;
  inactiveFor?: string;
  snapshot?: string;
  out?: string;
  by?: 'label' | 'user' | 'auto';
  concurrency?: number;
  batchSize?: number;
  retries?: number;
  dryRun?: boolean;
  verify?: boolean;
  maxRemovals?: number;
  helpCenterId?: string;
  yes?: boolean;
  check?: boolean;
  timeout?: number;
  guard?: boolean;
  reserveCredits?: number;
  maxCalls?: number;
  env?: Partial<Record<EnvVariable, string>>;
}

export const envVariables = [
  'ZOHO_DC',
  'ZOHO_DESK_URL',
  'ZOHO_ACCOUNTS_URL',
  'ZOHO_ORG_ID',
  'ZOHO_CLIENT_ID',
  'ZOHO_CLIENT_SECRET',
  'ZOHO_REFRESH_TOKEN',
  'ZOHO_ACCESS_TOKEN',
] as const;
export type EnvVariable = (typeof envVariables)[number];

/** Expands {job}, {date} (YYYY-MM-DD) and {time} (HHMMSS), in UTC so a schedule's runs sort. */
export function expandTemplate(template: string, job: string, now: Date): string {
  const iso = now.toISOString();
  return template.replace(/\{(job|date|time)\}/g, (_m, key: string) =>
    key === 'job' ? job : key === 'date' ? iso.slice(0, 10) : iso.slice(11, 19).replace(/:/g, ''),
  );
}
