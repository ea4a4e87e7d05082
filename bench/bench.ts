// npm run bench [-- --only side,hidden,scale] [-- --rows N] [-- --pairs N] [-- --runs N]; -- --help for the usage.
// Everything against the emulator in its own process, zdlabels in its own,
// and every figure as a ratio to a floor or an ideal measured in the same run
// (the machines are shared and noisy). Prints markdown tables.
import { benchArgs } from './args.js';
import { hiddenLimit } from './hiddenLimit.js';
import { workdir } from './lib.js';
import { scale } from './scale.js';
import { sideBySide } from './sideBySide.js';

const args = benchArgs(process.argv.slice(2));
const { dir, done } = await workdir();
let ok = true;
try {
  console.log(`zdlabels bench — node ${process.version}, ${new Date().toISOString()}\n`);
  if (args.only.has('side')) console.log([...(await sideBySide(dir, args.pairs)), ''].join('\n'));
  if (args.only.has('hidden')) {
    const r = await hiddenLimit(dir);
    ok &&= r.ok;
    console.log([...r.lines, ''].join('\n'));
  }
  if (args.only.has('scale')) {
    const r = await scale(dir, args.rows, args.runs);
    ok &&= r.ok;
    console.log([...r.lines, ''].join('\n'));
  }
  console.log(ok ? 'every figure within its target' : 'SOME FIGURE IS OVER ITS TARGET');
} finally {
  await done();
}
process.exitCode = ok ? 0 : 1;
