import type { ErrorCode, ErrorDetails } from '../../src-shared/errors';
import { isAppErrorShape } from '../../src-shared/errors';
import type { CallMeta, InputOf, OutputOf, ProcedureContract, RpcResult } from '../../src-shared/rpc';
import type { JobFile } from '../../src-shared/bridge';
import { announceSessionEnded, getToken } from './token';

/** An error answered by the pipeline (or a transport failure dressed as one), ready to switch on. */
export class RpcError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.details = details;
  }

  /** True when the server never answered (browser mode with the service stopped). */
  get unreachable(): boolean {
    return this.details?.unreachable === true;
  }
}

const unreachable = (cause: unknown): RpcError =>
  new RpcError('INTERNAL', 'The Plug1 service is not answering. Check that it is running, then try again.', {
    unreachable: true,
    cause: cause instanceof Error ? cause.message : String(cause),
  });

function toRpcError(value: unknown): RpcError {
  if (isAppErrorShape(value)) return new RpcError(value.code, value.message, value.details);
  return new RpcError('INTERNAL', 'The service answered something this screen does not understand.');
}

async function callOverHttp(name: string, input: unknown, token: string | null, meta?: CallMeta): Promise<RpcResult<unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (meta?.idempotencyKey) headers['idempotency-key'] = meta.idempotencyKey;
  if (meta?.approvalId) headers['x-approval-id'] = meta.approvalId;
  let response: Response;
  try {
    response = await fetch(`/rpc/${encodeURIComponent(name)}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
  } catch (err) {
    throw unreachable(err);
  }
  try {
    return (await response.json()) as RpcResult<unknown>;
  } catch {
    throw new RpcError('INTERNAL', `The service answered HTTP ${response.status} without a readable body.`);
  }
}

/**
 * Calls one procedure through whichever transport this window has: the preload bridge in the
 * desktop shell, HTTP in browser mode. Resolves with the output or rejects with an RpcError.
 */
export async function call<C extends ProcedureContract>(contract: C, input: InputOf<C>, meta?: CallMeta): Promise<OutputOf<C>> {
  const token = getToken();
  let answer: RpcResult<unknown>;
  if (window.plug1) {
    try {
      answer = await window.plug1.call(contract.name, input, meta ? { token, meta } : { token });
    } catch (err) {
      throw unreachable(err);
    }
  } else {
    answer = await callOverHttp(contract.name, input, token, meta);
  }
  if (answer.ok) return answer.result as OutputOf<C>;
  const error = toRpcError(answer.error);
  // Only a call that carried a session can find it ended; a failed sign-in is just a wrong password.
  if (error.code === 'UNAUTHENTICATED' && token) announceSessionEnded();
  throw error;
}

function fileNameFrom(disposition: string | null, fallback: string): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (star) return decodeURIComponent(star);
  return disposition?.match(/filename="?([^";]+)"?/i)?.[1] ?? fallback;
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function failed(answer: unknown, token: string | null): RpcError {
  const error = toRpcError(answer);
  if (error.code === 'UNAUTHENTICATED' && token) announceSessionEnded();
  return error;
}

/** Saves the file a finished job produced (an export, an import's error report). */
export async function downloadJobFile(jobId: string): Promise<void> {
  const token = getToken();
  if (window.plug1) {
    let answer: Awaited<ReturnType<typeof window.plug1.jobFile>>;
    try {
      answer = await window.plug1.jobFile(jobId, token);
    } catch (err) {
      throw unreachable(err);
    }
    if (!answer.ok) throw failed(answer.error, token);
    const file: JobFile = answer.result;
    saveBlob(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime }), file.name);
    return;
  }
  let response: Response;
  try {
    response = await fetch(`/jobs/${encodeURIComponent(jobId)}/file`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch (err) {
    throw unreachable(err);
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw failed(body && typeof body === 'object' && 'error' in body ? body.error : null, token);
  }
  saveBlob(await response.blob(), fileNameFrom(response.headers.get('content-disposition'), `plug1-${jobId}`));
}
