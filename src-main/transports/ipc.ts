import { readFile } from 'node:fs/promises';
import { AppError, type AppErrorShape } from '../../src-shared/errors';
import { IPC_CHANNELS, PROCEDURE_NAME, type JobFile } from '../../src-shared/bridge';
import type { CallMeta, RpcResult } from '../../src-shared/rpc';
import { authenticate } from '../core/auth/sessions';
import { dispatch } from '../core/rpc/pipeline';
import type { Kernel } from '../core/rpc/kernel';

/**
 * The desktop transport: the same `dispatch` browser mode uses, reached through Electron's
 * `ipcMain.handle`. It takes the ipcMain-like object as a parameter so that only src-main/electron
 * imports 'electron', and so tests can drive it with a fake.
 */

/** The part of an `IpcMainInvokeEvent` this transport reads. */
export interface InvokeEventLike {
  /** Null once the frame has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` this transport uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type SenderCheck = (event: InvokeEventLike) => boolean;

/**
 * True for URLs of our renderer: same scheme and host as `rendererUrl` (the dev server, or the
 * app's own protocol when packaged). A `file:` URL has no host, so there the document path must
 * match too; otherwise any local HTML file would pass. The shell uses the same test for navigation.
 */
export function rendererUrlMatcher(rendererUrl: string): (url: string | null | undefined) => boolean {
  const expected = new URL(rendererUrl);
  return (url) => {
    if (!url) return false;
    let actual: URL;
    try {
      actual = new URL(url);
    } catch {
      return false;
    }
    // Compare scheme and host, not `origin`: WHATWG gives custom schemes an opaque 'null' origin.
    if (actual.protocol !== expected.protocol || actual.host !== expected.host) return false;
    return expected.protocol !== 'file:' || actual.pathname === expected.pathname;
  };
}

/** Accepts calls only from frames that show our renderer. */
export function senderCheckFor(rendererUrl: string): SenderCheck {
  const isRendererUrl = rendererUrlMatcher(rendererUrl);
  return (event) => isRendererUrl(event.senderFrame?.url);
}

const untrustedSender: AppErrorShape = {
  code: 'FORBIDDEN',
  message: 'Calls are accepted only from the Plug1 Operations window',
};

export function refuse(error: AppErrorShape): RpcResult<never> {
  return { ok: false, error };
}

/** Registers the `rpc` and `jobs.file` channels; returns a function that removes them. */
export function registerIpcTransport(ipc: IpcMainLike, kernel: Kernel, isTrustedSender: SenderCheck): () => void {
  ipc.handle(IPC_CHANNELS.rpc, (event, name, input, opts) => {
    if (!isTrustedSender(event)) return refuse(untrustedSender);
    if (typeof name !== 'string' || !PROCEDURE_NAME.test(name)) {
      return refuse({ code: 'NOT_FOUND', message: 'There is no procedure by that name' });
    }
    const { token, meta } = readCallOptions(opts);
    return dispatch(kernel, name, input, { token, meta });
  });

  ipc.handle(IPC_CHANNELS.jobFile, async (event, jobId, token) => {
    if (!isTrustedSender(event)) return refuse(untrustedSender);
    return jobFile(kernel, jobId, token);
  });

  return () => {
    ipc.removeHandler(IPC_CHANNELS.rpc);
    ipc.removeHandler(IPC_CHANNELS.jobFile);
  };
}

/** Reads an export job's file for the user who ran it; the job manager decides who may. */
export async function jobFile(kernel: Kernel, jobId: unknown, token: unknown): Promise<RpcResult<JobFile>> {
  try {
    if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > 64) {
      throw new AppError('VALIDATION', 'A job id is required', { issues: [{ path: 'jobId', message: 'Required' }] });
    }
    const principal = authenticate(kernel, typeof token === 'string' ? token : null, true)!;
    const file = kernel.jobs.fileOf(jobId, principal);
    const bytes = new Uint8Array(await readFile(file.path));
    return { ok: true, result: { name: file.name, mime: file.mime, bytes } };
  } catch (err) {
    if (err instanceof AppError) return refuse(err.toJSON());
    kernel.log.error(`jobs.file ${String(jobId)} failed`, err);
    return refuse({ code: 'INTERNAL', message: 'The file could not be read; run the export again' });
  }
}

/**
 * Whatever the renderer sent is structured-cloned data of any shape; keep only the two fields the
 * pipeline understands, with the types it expects.
 */
function readCallOptions(raw: unknown): { token: string | null; meta: CallMeta } {
  const opts = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const rawMeta = typeof opts.meta === 'object' && opts.meta !== null ? (opts.meta as Record<string, unknown>) : {};
  const meta: CallMeta = {};
  if (typeof rawMeta.idempotencyKey === 'string') meta.idempotencyKey = rawMeta.idempotencyKey;
  if (typeof rawMeta.approvalId === 'string') meta.approvalId = rawMeta.approvalId;
  return { token: typeof opts.token === 'string' ? opts.token : null, meta };
}
