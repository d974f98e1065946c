import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authLogin, authMe, usersCreate } from '../../src-shared/contracts/kernel';
import { RpcError, call } from './client';
import { fieldErrors } from './forms';
import { procedurePrefix } from './hooks';
import { getToken, onSessionEnded, setToken } from './token';

/** sessionStorage and window as the page has them; the tests run in Node. */
function fakeBrowser() {
  const store = new Map<string, string>();
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
  vi.stubGlobal('window', {});
}

function answerWith(body: unknown, status = 200) {
  const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

beforeEach(fakeBrowser);
afterEach(() => vi.unstubAllGlobals());

describe('call() in browser mode', () => {
  it('posts the input to /rpc/<name> with the session, idempotency key and approval id', async () => {
    setToken('tok-1');
    const fetchMock = answerWith({ ok: true, result: { ok: true } });
    await call(usersCreate, { username: 'nina', displayName: 'Nina', roleKey: 'cashier', password: 'abc123abc123' }, {
      idempotencyKey: 'key-7',
      approvalId: 'apr-9',
    });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/rpc/admin.users.create');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      'idempotency-key': 'key-7',
      'x-approval-id': 'apr-9',
      'content-type': 'application/json',
    });
    expect(JSON.parse(String(init.body))).toEqual({ username: 'nina', displayName: 'Nina', roleKey: 'cashier', password: 'abc123abc123' });
  });

  it('rejects with an RpcError carrying the code and details the server sent', async () => {
    answerWith({ ok: false, error: { code: 'RULE_VIOLATION', message: 'No', details: { rule: 'user.selfDeactivation' } } }, 422);
    const error = await call(authMe, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'RULE_VIOLATION', message: 'No', details: { rule: 'user.selfDeactivation' } });
  });

  it('ends the session when a call that carried a token is refused as UNAUTHENTICATED', async () => {
    setToken('expired');
    const ended = vi.fn();
    const stop = onSessionEnded(ended);
    answerWith({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Your session has ended' } }, 401);
    await expect(call(authMe, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(ended).toHaveBeenCalledOnce();
    expect(getToken()).toBeNull();
    stop();
  });

  it('treats a refused sign-in (no token yet) as a wrong password, not as an ended session', async () => {
    const ended = vi.fn();
    const stop = onSessionEnded(ended);
    answerWith({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Wrong username or password' } }, 401);
    await expect(call(authLogin, { username: 'admin', password: 'nope' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(ended).not.toHaveBeenCalled();
    stop();
  });

  it('reports a stopped service as unreachable instead of throwing a TypeError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('fetch failed'))));
    const error = await call(authMe, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).unreachable).toBe(true);
  });
});

describe('call() in the desktop shell', () => {
  it('goes through the preload bridge with the token and meta, never over HTTP', async () => {
    setToken('tok-2');
    const bridgeCall = vi.fn(async () => ({ ok: true as const, result: { ok: true } }));
    vi.stubGlobal('window', { plug1: { platform: 'electron', call: bridgeCall, jobFile: vi.fn(), print: vi.fn() } });
    const fetchMock = answerWith({ ok: true, result: null });
    await call(authMe, {}, { idempotencyKey: 'k' });
    expect(bridgeCall).toHaveBeenCalledWith('auth.me', {}, { token: 'tok-2', meta: { idempotencyKey: 'k' } });
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('fieldErrors', () => {
  it('maps each issue path to its first message and ignores whole-input issues', () => {
    const error = new RpcError('VALIDATION', 'Invalid', {
      issues: [
        { path: 'lines.2.amount', message: 'Must be positive' },
        { path: 'lines.2.amount', message: 'second message' },
        { path: 'username', message: 'Already taken' },
        { path: '', message: 'Whole input' },
      ],
    });
    expect(fieldErrors(error)).toEqual({ 'lines.2.amount': 'Must be positive', username: 'Already taken' });
  });

  it('places a conflict that names a field (a taken username) beside that field', () => {
    const error = new RpcError('CONFLICT', 'The username nina is taken', { issues: [{ path: 'username', message: 'Already taken' }] });
    expect(fieldErrors(error)).toEqual({ username: 'Already taken' });
  });

  it('has nothing to place for errors that are not about fields', () => {
    expect(fieldErrors(new RpcError('FORBIDDEN', 'No', { issues: [{ path: 'x', message: 'y' }] }))).toEqual({});
    expect(fieldErrors(new Error('boom'))).toEqual({});
  });
});

describe('procedurePrefix', () => {
  it('is the function part of a procedure name, so a write refreshes its function’s queries', () => {
    expect(procedurePrefix('energy.meterReadings.create')).toBe('energy.meterReadings.');
    expect(procedurePrefix('admin.users.update')).toBe('admin.users.');
    expect(procedurePrefix('auth.login')).toBe('auth.');
  });
});
