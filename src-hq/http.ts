import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AppError, HTTP_STATUS, isAppErrorShape } from '../src-shared/errors';
import { uploadRequestSchema } from '../src-shared/contracts/sync';
import { newId } from '../src-main/core/util/ids';
import type { Hq } from './hq';
import { authenticateAdmin, authenticateBranch, listBranches, registerBranch, rotateBranchToken, setBranchActive } from './branches';
import { ingestUpload } from './ingest';
import { listExceptions, resolveException } from './exceptions';
import { listMasterChanges, masterChangesFor, masterHeadFor, publishInput, publishMasterData } from './master-data';
import { HQ_REPORTS, exportReportXlsx, runReport } from './reports';
import { parseOrThrow as parse } from './validate';

/**
 * HQ's HTTP API: JSON in, `{ ok, result }` or `{ ok: false, error }` out, the same envelope the
 * branch pipeline answers with. Branches authenticate with their own token on /sync/*, HQ staff
 * with an administrator token on /admin/*. A thin layer: every rule lives in the services.
 */
export interface HqServerOptions {
  port: number;
  host?: string;
}

export interface HqServer {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

type Query = URLSearchParams;
interface Request {
  method: string;
  path: string;
  query: Query;
  token: string | null;
  body(): Promise<unknown>;
}
type Answer = { json: unknown } | { file: string; name: string; mime: string };
type Route = { method: string; pattern: RegExp; handle(req: Request, params: string[]): Promise<Answer> };

const json = (value: unknown): Answer => ({ json: value });

const intParam = (q: Query, name: string, fallback: number, max: number): number => {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new AppError('VALIDATION', `${name}: a whole number at least 0`);
  return Math.min(v, max);
};

const registerInput = z.strictObject({
  id: z.string().trim().min(1).max(64),
  name: z.string().trim().min(2).max(80),
  timeZone: z.string().trim().min(3).max(60),
  weekStart: z.number().int().min(0).max(6).optional(),
});
const rotateInput = z.strictObject({ graceHours: z.number().min(0).max(24 * 30).optional() });
const activeInput = z.strictObject({ active: z.boolean() });
const resolveInput = z.strictObject({ note: z.string().trim().min(3).max(500) });
const exceptionStatus = z.enum(['open', 'resolved', 'all']).default('open');

function routes(hq: Hq): Route[] {
  const branch = (req: Request) => authenticateBranch(hq, req.token);
  const admin = (req: Request) => authenticateAdmin(hq, req.token);
  return [
    { method: 'GET', pattern: /^\/health$/, handle: async () => json({ ok: true, database: hq.dialect }) },

    /* ---- branches ---- */
    {
      method: 'GET',
      pattern: /^\/sync\/hello$/,
      handle: async (req) => {
        const b = await branch(req);
        await hq.db.updateTable('branches').set({ last_contact_at: hq.clock().toISOString() }).where('id', '=', b.id).execute();
        return json({
          branchId: b.id,
          branchName: b.name,
          anchor: { seq: b.head_seq, hash: b.head_hash },
          masterHead: await masterHeadFor(hq, b.id),
          serverTime: hq.clock().toISOString(),
        });
      },
    },
    {
      method: 'POST',
      pattern: /^\/sync\/upload$/,
      handle: async (req) => {
        const b = await branch(req);
        return json(await ingestUpload(hq, b.id, parse(uploadRequestSchema, await req.body())));
      },
    },
    {
      method: 'GET',
      pattern: /^\/sync\/master-data$/,
      handle: async (req) => {
        const b = await branch(req);
        return json(await masterChangesFor(hq, b.id, intParam(req.query, 'after', 0, Number.MAX_SAFE_INTEGER), intParam(req.query, 'limit', 500, 5000) || 1));
      },
    },
    {
      method: 'GET',
      pattern: /^\/sync\/exceptions$/,
      handle: async (req) => {
        const b = await branch(req);
        return json(await listExceptions(hq, { branchId: b.id, status: parse(exceptionStatus, req.query.get('status') ?? undefined) }));
      },
    },

    /* ---- HQ staff ---- */
    { method: 'GET', pattern: /^\/admin\/branches$/, handle: async (req) => (await admin(req), json(await listBranches(hq))) },
    {
      method: 'POST',
      pattern: /^\/admin\/branches$/,
      handle: async (req) => {
        await admin(req);
        return json(await registerBranch(hq, parse(registerInput, await req.body())));
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/branches\/([^/]+)\/rotate-token$/,
      handle: async (req, [id]) => {
        await admin(req);
        return json(await rotateBranchToken(hq, id!, parse(rotateInput, await req.body())));
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/branches\/([^/]+)\/active$/,
      handle: async (req, [id]) => {
        await admin(req);
        await setBranchActive(hq, id!, parse(activeInput, await req.body()).active);
        return json({ ok: true });
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/exceptions$/,
      handle: async (req) => {
        await admin(req);
        return json(await listExceptions(hq, { branchId: req.query.get('branchId') ?? undefined, status: parse(exceptionStatus, req.query.get('status') ?? undefined) }));
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/exceptions\/([^/]+)\/resolve$/,
      handle: async (req, [id]) => {
        const by = await admin(req);
        return json(await resolveException(hq, id!, { note: parse(resolveInput, await req.body()).note, by }));
      },
    },
    {
      method: 'POST',
      pattern: /^\/admin\/master-data$/,
      handle: async (req) => {
        const by = await admin(req);
        return json(await publishMasterData(hq, parse(publishInput, await req.body()), by));
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/master-data$/,
      handle: async (req) => {
        await admin(req);
        return json(
          await listMasterChanges(hq, {
            after: intParam(req.query, 'after', 0, Number.MAX_SAFE_INTEGER),
            limit: intParam(req.query, 'limit', 500, 5000),
            entity: req.query.get('entity') ?? undefined,
          }),
        );
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/reports$/,
      handle: async (req) => (await admin(req), json(HQ_REPORTS.map((r) => ({ key: r.key, title: r.title, figures: r.figures })))),
    },
    {
      method: 'GET',
      pattern: /^\/admin\/reports\/([^/]+?)(\.xlsx)?$/,
      handle: async (req, [key, xlsx]) => {
        const by = await admin(req);
        const input = {
          from: req.query.get('from') ?? '',
          to: req.query.get('to') ?? '',
          period: (req.query.get('period') ?? undefined) as never,
          branchId: req.query.get('branchId') ?? undefined,
        };
        if (!xlsx) return json(await runReport(hq, key!, input));
        const out = await exportReportXlsx(hq, key!, input, by);
        return { file: out.file, name: out.name, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
      },
    },
  ];
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AppError('VALIDATION', 'The request body is larger than 64 MB; send smaller batches');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('VALIDATION', 'The request body must be JSON');
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}

export function startHqServer(hq: Hq, options: HqServerOptions): Promise<HqServer> {
  const table = routes(hq);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hq.invalid');
    const method = req.method ?? 'GET';
    const header = req.headers.authorization;
    const request: Request = {
      method,
      path: url.pathname,
      query: url.searchParams,
      token: header?.startsWith('Bearer ') ? header.slice(7).trim() : null,
      body: () => readBody(req),
    };
    let matchedPath = false;
    for (const route of table) {
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      matchedPath = true;
      if (route.method !== method) continue;
      const answer = await route.handle(request, m.slice(1));
      if ('json' in answer) return send(res, 200, { ok: true, result: answer.json });
      res.writeHead(200, {
        'content-type': answer.mime,
        'content-disposition': `attachment; filename="${answer.name.replace(/[^\w.\- ]/g, '_')}"`,
        'cache-control': 'no-store',
      });
      const stream = fs.createReadStream(answer.file);
      stream.on('close', () => fs.rm(answer.file, { force: true }, () => {}));
      stream.pipe(res);
      return;
    }
    throw matchedPath ? new AppError('VALIDATION', `${method} is not allowed here`) : new AppError('NOT_FOUND', `There is nothing at ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      let shape: { code: keyof typeof HTTP_STATUS; message: string; details?: unknown };
      if (isAppErrorShape(err)) shape = err instanceof AppError ? err.toJSON() : err;
      else {
        const incidentId = newId();
        hq.log.error(`[${incidentId}] ${req.method} ${req.url} failed`, err);
        shape = { code: 'INTERNAL', message: `HQ failed (incident ${incidentId}); nothing was saved`, details: { incidentId } };
      }
      if (res.headersSent) res.end();
      else send(res, HTTP_STATUS[shape.code], { ok: false, error: shape });
    });
  });
  // Long uploads on slow links are fine; a client that sends nothing is not.
  server.requestTimeout = 5 * 60_000;
  // Keep idle connections longer than clients do (undici drops them after 4 s), so a client never
  // sends a batch on a connection HQ is closing at that moment: a POST cut off so is not retried.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      const { port, address } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
        server,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
