// The built-in emulator seed (src/emulator/seed.ts defaultSeed), as tests refer to it.
/** Label "Prime Customer": users 0-79 (more than one page of 50). */
export const A = '24073000002958013';
/** Label "Beta Tester": users 40-119. */
export const B = '24073000002958023';
/** Label "MVP": users 0-9. */
export const C = '24073000002958029';
/** The i-th seeded user's 19-digit ID. */
export const u = (i: number): string => String(1060099000000334001n + BigInt(i));
