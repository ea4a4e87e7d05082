import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * zdlabels' own version, from its own package.json: the first one named
 * "zdlabels" up from this compiled file (dist/version.js → the package root,
 * wherever it is installed; the same from src/ under jest or a bench build).
 * Not yargs' guess, which finds the package.json of the project running it.
 */
function ownVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'zdlabels' && typeof pkg.version === 'string') return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error(`zdlabels cannot find its own package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

export const toolVersion = ownVersion();
