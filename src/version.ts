import { createRequire } from 'node:module';

/** zdlabels' own version, from its package.json (never the host project's). */
export const toolVersion = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
