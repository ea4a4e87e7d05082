import { PassThrough } from 'node:stream';
import { confirm } from '../src/run/confirm.js';
import type { Io } from '../src/io.js';

function io(tty: boolean, answer?: string): Io & { said: () => string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  let said = '';
  let answered = false;
  stderr.on('data', (d: Buffer) => {
    said += d.toString();
    // answer once: a terminal readline echoes what is typed
    if (answer !== undefined && !answered && said.includes('[y/N]')) {
      answered = true;
      stdin.write(`${answer}\n`);
    }
  });
  return { stdin, stdout: new PassThrough(), stderr, env: {}, cwd: '/', interrupted: () => new Promise(() => {}), said: () => said };
}

describe('asking before a write', () => {
  test.each([
    ['y', true],
    ['yes', true],
    ['', false],
    ['n', false],
    ['whatever', false],
  ])('on a terminal, answering %j proceeds: %s', async (answer, expected) => {
    const t = io(true, answer);
    expect(await confirm(t, 'Remove 3 users?')).toBe(expected);
    expect(t.said()).toContain('Remove 3 users? [y/N]');
  });

  test('without a terminal it never prompts and says --yes', async () => {
    const t = io(false);
    expect(await confirm(t, 'Remove 3 users?')).toBe(false);
    expect(t.said()).toContain('no terminal to ask on; pass --yes');
  });
});
