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
   * Takes requests one at a time in journal order (an upload's `continuesFrom`, then arrival), each
   * once HQ has answered the one before (held answers still wait for `release()`), as if the link to
   * HQ kept its order: a batch sent ahead can then overtake the one before it neither on the way to
   * this proxy nor to HQ. The branch survives such an overtaking, but it would change what a test
   * sets up (which request gets which planned fault, and what HQ applied).
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
  // In-order mode: requests waiting for their turn, and whether one is being taken now.
  const waiting: { order: number; arrived: number; take: () => Promise<unknown> }[] = [];
  let arrivals = 0;
  let taking = false;

  const forwardNow = async (req: http.IncomingMessage, body: Buffer) => {
    const res = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: req.method === 'GET' ? undefined : body,
    });
    return { status: res.status, text: await res.text() };
  };

  /** An upload's place in the journal; anything else keeps its arrival order. */
  const journalOrder = (body: Buffer): number => {
    try {
      const from = (JSON.parse(body.toString('utf8')) as { continuesFrom?: unknown }).continuesFrom;
      return typeof from === 'number' ? from : Number.MAX_SAFE_INTEGER;
    } catch {
      return Number.MAX_SAFE_INTEGER;
    }
  };

  const takeInOrder = async () => {
    if (taking) return;
    taking = true;
    try {
      while (waiting.length > 0) {
        // The branch sends a pipelined pair within a millisecond: let the pair arrive before choosing.
        await new Promise((resolve) => setTimeout(resolve, 25));
        waiting.sort((a, b) => a.order - b.order || a.arrived - b.arrived);
        await waiting.shift()!.take();
      }
    } finally {
      taking = false;
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0]!;
      seen.push(`${req.method} ${path}`);
      if (!inOrder) {
        void handle(req, res, body, plans.get(path)?.shift(), () => {});
        return;
      }
      // Its turn ends once HQ has answered it (or it was answered without HQ), not when a held answer is released.
      waiting.push({
        order: journalOrder(body),
        arrived: (arrivals += 1),
        take: () =>
          new Promise<void>((turnOver) => {
            void handle(req, res, body, plans.get(path)?.shift(), turnOver).finally(turnOver);
          }),
      });
      void takeInOrder();
    });
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, fault: Fault | undefined, answeredByHq: () => void) => {
    const forward = async () => {
      const answer = await forwardNow(req, body);
      answeredByHq();
      return answer;
    };
    const reply = (answer: { status: number; text: string }) => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.text);
    };
    try {
      switch (fault) {
        case 'fail500':
          return reply({ status: 500, text: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'injected failure' } }) });
        case 'applyThenHang':
          await forward();
          hanging.add(res);
          return;
        case 'applyThenDrop':
          await forward();
          return req.socket.destroy();
        case 'duplicate': {
          const [first] = await Promise.all([forwardNow(req, body), forwardNow(req, body)]);
          answeredByHq();
          return reply(first);
        }
        case 'hold': {
          const answer = await forward();
          heldCount += 1;
          for (const w of heldWaiters.filter((w) => heldCount >= w.n)) w.resolve();
          await released;
          return reply(answer);
        }
        default:
          return reply(await forward());
      }
    } catch (err) {
      if (!res.headersSent) reply({ status: 502, text: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: String(err) } }) });
    }
  };
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
