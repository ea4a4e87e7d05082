import { isIP } from 'node:net';

/**
 * 127.0.0.0/8, ::1 and localhost (a URL's hostname, brackets and all, or a bare
 * host): where plain http is allowed (the emulator), and the only addresses
 * the emulator, with its throwaway credentials, may listen on.
 */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.toLowerCase() === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}
