// Loaded with `node --import` into a benchmarked zdlabels process: at exit it
// writes the process's peak resident memory (KiB) where the bench asked.
import { writeFileSync } from 'node:fs';

const target = process.env.ZDLABELS_BENCH_RSS;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
