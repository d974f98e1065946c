import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { HTTP_STATUS } from '../../src-shared/errors';
import type { RpcResult } from '../../src-shared/rpc';
import { dispatch } from '../core/rpc/pipeline';
import { authenticate } from '../core/auth/sessions';
import { catalogue } from '../core/rpc/catalogue';
import type { Kernel } from '../core/rpc/kernel';

/**
 * Browser mode: the same renderer and the same pipeline over HTTP on 127.0.0.1. A thin adapter:
 * it parses the request, calls `dispatch`, and maps the answer to a status code.
 */
export interface HttpServerOptions {
  kernel: Kernel;
  port: number;
  /** The built renderer (out/renderer); omitted in API-only tests. */
  staticDir?: string;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(text);
}

const fail = (res: http.ServerResponse, status: number, code: keyof typeof HTTP_STATUS, message: string) =>
  send(res, status, { ok: false, error: { code, message } } satisfies RpcResult<never>);

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const bearer = (req: http.IncomingMessage): string | null => {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
};

const headerValue = (req: http.IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined;
};

export function startHttpServer(options: HttpServerOptions): Promise<{ server: http.Server; url: string; close(): Promise<void> }> {
  const { kernel } = options;
  let allowedHosts = new Set<string>();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      kernel.log.error('http request failed', err);
      if (!res.headersSent) fail(res, 500, 'INTERNAL', 'Something went wrong');
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS rebinding: a hostile page can resolve its own name to 127.0.0.1, but cannot change the Host it sends.
    if (!allowedHosts.has(req.headers.host ?? '')) return fail(res, 421, 'FORBIDDEN', 'Host not allowed');
    const origin = req.headers.origin;
    if (origin && !allowedHosts.has(origin.replace(/^https?:\/\//, ''))) return fail(res, 403, 'FORBIDDEN', 'Cross-origin requests are refused');
    const url = new URL(req.url ?? '/', 'http://localhost');

    if (url.pathname === '/rpc' && req.method === 'GET') return send(res, 200, { procedures: catalogue(kernel.registry) });

    if (url.pathname.startsWith('/rpc/')) {
      if (req.method !== 'POST') return fail(res, 405, 'VALIDATION', 'Use POST for procedure calls');
      const name = decodeURIComponent(url.pathname.slice(5));
      if (kernel.registry.get(name)?.contract.internal) return fail(res, 404, 'NOT_FOUND', `There is no procedure named ${name}`);
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body.trim() === '' ? {} : (JSON.parse(body) as unknown);
      } catch {
        return fail(res, 400, 'VALIDATION', 'The request body must be JSON (at most 64 MB)');
      }
      const result = dispatch(kernel, name, input, {
        token: bearer(req),
        meta: { idempotencyKey: headerValue(req, 'idempotency-key'), approvalId: headerValue(req, 'x-approval-id') },
      });
      return send(res, result.ok ? 200 : HTTP_STATUS[result.error.code], result);
    }

    const jobFile = /^\/jobs\/([0-9A-Za-z]+)\/file$/.exec(url.pathname);
    if (jobFile && req.method === 'GET') {
      try {
        const principal = authenticate(kernel, bearer(req), true)!;
        const file = kernel.jobs.fileOf(jobFile[1]!, principal);
        res.writeHead(200, {
          'content-type': file.mime,
          'content-disposition': `attachment; filename="${file.name.replace(/[^\w.\- ]/g, '_')}"`,
          'cache-control': 'no-store',
          ...SECURITY_HEADERS,
        });
        fs.createReadStream(file.path).pipe(res);
        return;
      } catch (err) {
        const e = err as { code?: keyof typeof HTTP_STATUS; message?: string };
        const code = e.code && e.code in HTTP_STATUS ? e.code : 'INTERNAL';
        return fail(res, HTTP_STATUS[code], code, e.message ?? 'Download failed');
      }
    }

    if (options.staticDir && (req.method === 'GET' || req.method === 'HEAD')) return serveStatic(options.staticDir, url.pathname, res);
    return fail(res, 404, 'NOT_FOUND', 'Not found');
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
      resolve({
        server,
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  const rootResolved = path.resolve(root);
  let file = path.resolve(rootResolved, '.' + decodeURIComponent(pathname));
  if (!file.startsWith(rootResolved)) return fail(res, 403, 'FORBIDDEN', 'Outside the app folder');
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(rootResolved, 'index.html');
  if (!fs.existsSync(file)) return fail(res, 404, 'NOT_FOUND', 'The renderer is not built; run npm run build:renderer');
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, { 'content-type': type, 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache', ...SECURITY_HEADERS });
  fs.createReadStream(file).pipe(res);
}
