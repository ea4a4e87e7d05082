// Preloaded (node --import) by test/pipes.test.ts: the child believes its stderr
// (a pipe the test reads) is a terminal, so it draws the live progress bar there.
process.stderr.isTTY = true;
process.stderr.columns = 100;
