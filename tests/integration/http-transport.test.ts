import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src-main/transports/http';
import { openTestApp, type TestApp } from '../support/app';

let t: TestApp;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let port: number;

beforeAll(async () => {
  t = openTestApp();
  server = await startHttpServer({ kernel: t.kernel, port: 0 });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

/** Raw request so tests control the Host header, which fetch does not allow. */
function request(path: string, options: { method?: string; host?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}`, 'content-type': 'application/json', ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('browser mode over HTTP', () => {
  it('binds to 127.0.0.1 only', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect((server.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('serves the catalogue with permissions and JSON Schemas, without internal procedures', async () => {
    const res = await request('/rpc');
    expect(res.status).toBe(200);
    const { procedures } = JSON.parse(res.body) as { procedures: { name: string; permission: string; input: { type?: string } }[] };
    const login = procedures.find((p) => p.name === 'auth.login')!;
    expect(login.permission).toBe('public');
    expect(login.input.type).toBe('object');
    expect(procedures.find((p) => p.name === 'admin.users.create')!.permission).toBe('admin.users:create');
    expect(procedures.some((p) => p.name === 'system.seedDemo')).toBe(false);
  });

  it('logs in, calls with the bearer token, and maps error codes to statuses', async () => {
    const login = await request('/rpc/auth.login', { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'demo1234' }) });
    expect(login.status).toBe(200);
    const { result } = JSON.parse(login.body) as { result: { token: string } };
    const me = await request('/rpc/auth.me', { method: 'POST', body: '{}', headers: { authorization: `Bearer ${result.token}` } });
    expect(JSON.parse(me.body)).toMatchObject({ ok: true, result: { username: 'admin' } });
    expect((await request('/rpc/auth.me', { method: 'POST', body: '{}' })).status).toBe(401);
    const invalid = await request('/rpc/admin.users.create', { method: 'POST', body: '{"username":1}', headers: { authorization: `Bearer ${result.token}` } });
    expect(invalid.status).toBe(422);
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await request('/rpc/no.such.thing', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await request('/rpc/auth.login', { method: 'POST', body: '{not json' })).status).toBe(400);
  });

  it('refuses internal procedures even though they exist in-process', async () => {
    const res = await request('/rpc/system.seedDemo', { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding) and cross-origin calls', async () => {
    expect((await request('/rpc', { host: 'evil.example:80' })).status).toBe(421);
    expect((await request('/rpc/auth.login', { method: 'POST', body: '{}', headers: { origin: 'http://evil.example' } })).status).toBe(403);
  });
});
