// npm run bench [-- --rows N] [-- --pairs N] [-- --only side,hidden,scale] [-- --runs N]
// Everything against the emulator in its own process, zdlabels in its own,
// and every figure as a ratio to a floor or an ideal measured in the same run
// (the machines are shared and noisy). Prints markdown tables.
import { parseArgs } from 'node:util';
import { hiddenLimit } from './hiddenLimit.js';
import { workdir } from './lib.js';
import { scale } from './scale.js';
import { sideBySide } from './sideBySide.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    pairs: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'side,hidden,scale' },
    runs: { type: 'string', default: '3' },
  },
});
const only = new Set(values.only.split(','));
const { dir, done } = await workdir();
let ok = true;
try {
  console.log(`zdlabels bench — node ${process.version}, ${new Date().toISOString()}\n`);
  if (only.has('side')) console.log([...(await sideBySide(dir, Number(values.pairs))), ''].join('\n'));
  if (only.has('hidden')) {
    const r = await hiddenLimit(dir);
    ok &&= r.ok;
    console.log([...r.lines, ''].join('\n'));
  }
  if (only.has('scale')) {
    const r = await scale(dir, Number(values.rows), Number(values.runs));
    ok &&= r.ok;
    console.log([...r.lines, ''].join('\n'));
  }
  console.log(ok ? 'every figure within its target' : 'SOME FIGURE IS OVER ITS TARGET');
} finally {
  await done();
}
process.exitCode = ok ? 0 : 1;
