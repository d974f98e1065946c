import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, PROCEDURE_NAME, type Plug1Bridge } from '../src-shared/bridge';
import type { RpcResult } from '../src-shared/rpc';

/**
 * The preload runs sandboxed: it is bundled into one CommonJS file and may only reach 'electron'.
 * It exposes one narrow object. The page never gets ipcRenderer itself, so it can invoke no
 * channel but these three, and main checks the sender of every call again.
 */

const badRequest = (message: string): Promise<RpcResult<never>> =>
  Promise.resolve({ ok: false, error: { code: 'VALIDATION', message } });

const bridge: Plug1Bridge = {
  platform: 'electron',

  call(name, input, opts) {
    if (typeof name !== 'string' || !PROCEDURE_NAME.test(name)) return badRequest(`Not a procedure name: ${String(name)}`);
    return ipcRenderer.invoke(IPC_CHANNELS.rpc, name, input, { token: opts?.token ?? null, meta: opts?.meta ?? {} });
  },

  jobFile(jobId, token) {
    if (typeof jobId !== 'string' || jobId.length === 0) return badRequest('A job id is required');
    return ipcRenderer.invoke(IPC_CHANNELS.jobFile, jobId, token ?? null);
  },

  print(options) {
    return ipcRenderer.invoke(IPC_CHANNELS.print, {
      silent: options?.silent === true,
      deviceName: typeof options?.deviceName === 'string' ? options.deviceName : undefined,
    });
  },
};

contextBridge.exposeInMainWorld('plug1', bridge);
