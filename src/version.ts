import { createRequire } from 'node:module';

// zdlabels' own version, read from its package.json next to the compiled code
// (dist/version.js → ../package.json), wherever the package is installed. Not
// yargs' guess, which finds the package.json of whatever project runs it.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export const toolVersion = version;
