// The demo's verdict, alone: exactly the requested pairs gone, and nothing else written.
import { demoPassed, demoVerdict, verdictLines } from '../src/demo/demoVerdict.js';

const before = new Set(['1:10', '2:10', '3:10', '1:20']);
const removal = { method: 'POST', endpoint: 'removeUsersFromLabel' };

test('the requested pairs gone (an unknown pair asked for does not count), nothing else: passed', () => {
  const v = demoVerdict(before, new Set(['3:10', '1:20']), ['1:10', '2:10', '9:10'], [removal, { method: 'GET', endpoint: 'getLabel' }]);
  expect(v).toEqual({ requested: 2, missed: 0, extra: 0, left: 2, removals: 1, otherWrites: 0 });
  expect(demoPassed(v)).toBe(true);
  expect(verdictLines(v)).toEqual([
    'the emulator saw 1 removal calls and no other write',
    "✔ confirmed from the emulator's state: exactly the 2 requested pairs are gone; the other 2 assignments are untouched",
  ]);
});

test('a requested pair still there, or another pair gone: failed, counted', () => {
  const v = demoVerdict(before, new Set(['2:10', '3:10']), ['1:10', '2:10'], [removal]);
  expect([v.missed, v.extra, demoPassed(v)]).toEqual([1, 1, false]);
  expect(verdictLines(v)[1]).toBe("✘ the emulator's state does not match: 1 requested pairs still there, 1 other pairs gone");
});

test('any write but a removal (an add, a delete) fails the demo, even with the state right', () => {
  const v = demoVerdict(before, new Set(['3:10', '1:20']), ['1:10', '2:10'], [removal, { method: 'POST', endpoint: 'addUsersToLabel' }, { method: 'DELETE', endpoint: 'deleteLabel' }]);
  expect([v.otherWrites, demoPassed(v)]).toEqual([2, false]);
  expect(verdictLines(v)).toEqual([
    'the emulator saw 1 removal calls and 2 other write(s)',
    "✘ the emulator's state does not match: 0 requested pairs still there, 0 other pairs gone, 2 other write(s)",
  ]);
});
