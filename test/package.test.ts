// What `npm install zdlabels` gets: the files, the run-time dependencies, the
// licence, the version. scripts/check-package.sh (run by .ci/run) installs the
// packed tarball for real and runs the commands; these are the fast checks.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tempDirs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The package a bare import specifier names (`ajv/dist/2020.js` → `ajv`, `@a/b/c` → `@a/b`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('the published package', () => {
  // Left to itself yargs prints the version of the package.json above the
  // node_modules that holds yargs: in a project that installed zdlabels, that
  // project's. The next test builds such a project (and scripts/check-package.sh
  // installs the tarball into one); this one checks the version comes from
  // package.json.
  test('zdlabels --version prints package.json\'s version, in-process and from the built binary', async () => {
    const elsewhere = await tempDir();
    // yargs prints --version with console.log
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => printed.push(args.join(' '));
    try {
      const r = await cli(['--version'], { cwd: elsewhere });
      expect([r.code, r.stderr]).toEqual([0, '']);
    } finally {
      console.log = log;
    }
    expect(printed).toEqual([pkg.version]);
    const bin = spawnSync(process.execPath, [join(root, pkg.bin.zdlabels!), '--version'], { cwd: elsewhere, encoding: 'utf8' });
    expect([bin.status, bin.stdout, bin.stderr]).toEqual([0, `${pkg.version}\n`, '']);
  });

  test('installed in a project of its own (version 9.9.9, its dependencies beside it), --version is still zdlabels\' own', async () => {
    const host = await tempDir();
    writeFileSync(join(host, 'package.json'), JSON.stringify({ name: 'host-project', version: '9.9.9', private: true }));
    const installed = join(host, 'node_modules', 'zdlabels');
    mkdirSync(installed, { recursive: true });
    cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(installed, 'package.json'));
    // npm hoists the dependencies next to zdlabels, into the host's node_modules
    for (const dep of readdirSync(join(root, 'node_modules'))) {
      if (!dep.startsWith('.') && !existsSync(join(host, 'node_modules', dep))) symlinkSync(join(root, 'node_modules', dep), join(host, 'node_modules', dep));
    }
    // keep the symlinked paths, as a real install has real folders there
    const bin = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', join(installed, pkg.bin.zdlabels!), '--version'], { cwd: host, encoding: 'utf8' });
    expect([bin.status, bin.stdout, bin.stderr]).toEqual([0, `${pkg.version}\n`, '']);
  });

  test('a LICENSE file holds the licence package.json names (MIT, zdlabels contributors)', () => {
    expect(pkg.license).toBe('MIT');
    const text = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(text.split('\n')[0]).toBe('MIT License');
    expect(text).toMatch(/^Copyright \(c\) \d{4} zdlabels contributors$/m);
    expect(text).toContain('Permission is hereby granted, free of charge, to any person obtaining a copy');
  });

  test('every package the built code imports is a dependency (not a devDependency)', () => {
    const imported = new Set<string>();
    for (const file of filesUnder(join(root, 'dist')).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(file, 'utf8');
      const statements = code.matchAll(/^(?:import\s*|(?:import|export)\s[^;'"]*?\sfrom\s*)['"]([^'"]+)['"]/gm);
      const dynamic = code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g);
      for (const m of [...statements, ...dynamic]) if (!/^[./]/.test(m[1]!)) imported.add(packageOf(m[1]!));
    }
    const external = [...imported].filter((p) => !p.startsWith('node:') && !builtinModules.includes(p)).sort();
    expect(external).toEqual(expect.arrayContaining(['ajv', 'yargs', 'ky']));
    expect(external.filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });

  test('installing it runs no script of ours (no preinstall/install/postinstall/prepare)', () => {
    expect(Object.keys(pkg.scripts).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
    expect(pkg.scripts.prepack).toMatch(/npm run build/);
  });

  test('the tarball holds the built tool, its data and LICENSE; no source maps, sources, tests or bench', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, expect.any(String)]);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', pkg.bin.zdlabels!, 'dist/version.js', 'jobs/demo.json', 'fixtures/demo/seed.json', 'schema/job.schema.json']));
    const unwanted = files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') || /^(src|test|bench|scripts|contract|\.ci)\//.test(f) || /bench/.test(f));
    expect(unwanted).toEqual([]);
    // every built file is in it (a stale dist/ is rebuilt clean by prepack)
    const built = filesUnder(join(root, 'dist')).map((f) => relative(root, f));
    expect(built.filter((f) => !files.includes(f))).toEqual([]);
    expect(existsSync(join(root, pkg.bin.zdlabels!))).toBe(true);
  });
});
