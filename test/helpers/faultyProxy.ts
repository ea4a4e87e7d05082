// A loopback HTTP relay in front of the emulator that drops connections
// BEFORE the call reaches it (the emulator's own `dropRate` drops them after
// the change is applied): the client sees the same dead socket either way,
// and must not tell the two apart by luck. Seeded, so a run replays.
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prng } from '../../src/emulator/prng.js';

export interface FaultyProxy {
  url: string;
  /** Calls dropped before they reached the emulator. */
  dropped: number;
  close(): Promise<void>;
}

const hopByHop = ['connection', 'keep-alive', 'transfer-encoding', 'host'];
const forwardable = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => !hopByHop.includes(k)));

export interface FaultyProxyOptions {
  /** Share of the writes (POSTs) dropped unsent; reads pass (the emulator's own faults reach them). */
  dropRate?: number;
  seed?: number;
  /** Writes (1 = the first POST) whose answer is lost: the emulator applies them, the client sees a dead socket. */
  loseAnswerOf?: readonly number[];
}

/** Relays every request to `target` (an http://host:port origin), with the faults of `options`. */
export async function startFaultyProxy(target: string, options: FaultyProxyOptions): Promise<FaultyProxy> {
  const random = prng(options.seed ?? 1);
  const dropRate = options.dropRate ?? 0;
  let writes = 0;
  const agent = new Agent({ keepAlive: true });
  const upstream = new URL(target);
  const proxy: FaultyProxy = { url: '', dropped: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const write = req.method === 'POST' ? (writes += 1) : 0;
      if (write > 0 && random() < dropRate) {
        proxy.dropped += 1;
        req.socket.destroy();
        return;
      }
      const loseAnswer = options.loseAnswerOf?.includes(write) ?? false;
      const out = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: forwardable(req.headers), agent },
        (answer) => {
          if (loseAnswer) {
            answer.resume();
            answer.on('end', () => req.socket.destroy());
            return;
          }
          res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
          answer.pipe(res);
        },
      );
      // the emulator dropped it (after the change): the client sees a dead socket too
      out.on('error', () => req.socket.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
