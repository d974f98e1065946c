import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy between a branch and HQ that misbehaves on cue, for the fault-injection tests. Each
 * request to a path takes the next planned fault for that path (then passes once they run out).
 *
 * - pass: forwards as is (to let earlier requests through before a fault).
 * - fail500: answers 500 without telling HQ.
 * - applyThenHang: lets HQ apply the request, then never answers (the branch times out).
 * - applyThenDrop: lets HQ apply it, then cuts the connection.
 * - duplicate: sends the request to HQ twice at once (a retry racing the original).
 * - hold: forwards, then waits for `release()` before answering (to kill a branch mid-upload).
 */
export type Fault = 'pass' | 'fail500' | 'applyThenHang' | 'applyThenDrop' | 'duplicate' | 'hold';

export interface FaultyProxy {
  url: string;
  plan(path: string, ...faults: Fault[]): void;
  /** Requests seen, as `METHOD /path`. */
  seen: string[];
  /** Resolves when the nth held request has reached HQ's answer. */
  held(n: number): Promise<void>;
  release(): void;
  /**
   * Forwards each request to HQ only once HQ has answered the one before (held answers still wait
   * for `release()`), as if the link to HQ kept its order: a batch sent ahead then cannot overtake
   * the one before it, which the branch survives but which would change what a test sets up.
   */
  forwardInOrder(on: boolean): void;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const plans = new Map<string, Fault[]>();
  const seen: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  let heldCount = 0;
  const heldWaiters: { n: number; resolve: () => void }[] = [];
  let releaseHeld: () => void = () => {};
  let released = new Promise<void>((r) => (releaseHeld = r));
  let inOrder = false;
  let previousForward: Promise<unknown> = Promise.resolve();

  const forward = (req: http.IncomingMessage, body: Buffer) => {
    if (!inOrder) return forwardNow(req, body);
    const answer = previousForward.then(() => forwardNow(req, body));
    previousForward = answer.catch(() => {});
    return answer;
  };
  const forwardNow = async (req: http.IncomingMessage, body: Buffer) => {
    const res = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: req.method === 'GET' ? undefined : body,
    });
    return { status: res.status, text: await res.text() };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const path = (req.url ?? '/').split('?')[0]!;
        seen.push(`${req.method} ${path}`);
        const fault = plans.get(path)?.shift();
        const reply = (answer: { status: number; text: string }) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(answer.text);
        };
        try {
          switch (fault) {
            case 'fail500':
              return reply({ status: 500, text: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'injected failure' } }) });
            case 'applyThenHang':
              await forward(req, body);
              hanging.add(res);
              return;
            case 'applyThenDrop':
              await forward(req, body);
              return req.socket.destroy();
            case 'duplicate': {
              const [first] = await Promise.all([forward(req, body), forward(req, body)]);
              return reply(first);
            }
            case 'hold': {
              const answer = await forward(req, body);
              heldCount += 1;
              for (const w of heldWaiters.filter((w) => heldCount >= w.n)) w.resolve();
              await released;
              return reply(answer);
            }
            default:
              return reply(await forward(req, body));
          }
        } catch (err) {
          if (!res.headersSent) reply({ status: 502, text: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: String(err) } }) });
        }
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    plan(path, ...faults) {
      plans.set(path, [...(plans.get(path) ?? []), ...faults]);
    },
    held(n) {
      return heldCount >= n ? Promise.resolve() : new Promise((resolve) => heldWaiters.push({ n, resolve }));
    },
    release() {
      releaseHeld();
      released = new Promise<void>((r) => (releaseHeld = r));
    },
    forwardInOrder(on) {
      inOrder = on;
    },
    close: () =>
      new Promise<void>((r) => {
        releaseHeld();
        for (const res of hanging) res.destroy();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
