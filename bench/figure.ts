// One line of a section's table: what was measured, the figure with its ratio
// to a floor or a target, the target, and whether it is within it.
import { fmt } from './lib.js';

export interface Figure {
  what: string;
  value: string;
  target: string;
  ok: boolean;
}

/** A peak memory against its limit: "226 MB = 0.57× target". */
export const mbOfTarget = (mb: number, targetMb: number): string => `${fmt(mb)} MB = ${fmt(mb / targetMb, 2)}× target`;

/** The markdown table of a section's figures, each marked ✔ or ✘ against its target. */
export const figureTable = (figures: Figure[]): string[] => [
  '| figure | measured | target | |',
  '| --- | --- | --- | --- |',
  ...figures.map((f) => `| ${f.what} | ${f.value} | ${f.target} | ${f.target ? (f.ok ? '✔' : '✘') : ''} |`),
];
