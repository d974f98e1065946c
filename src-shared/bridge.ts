import type { CallMeta, RpcResult } from './rpc';

/**
 * The contract between the Electron preload and the renderer. The preload exposes exactly one
 * object, `window.plug1`; the renderer treats its presence as "we are in the desktop shell" and
 * otherwise talks HTTP to browser mode. Nothing else of Electron or Node is reachable from the page.
 */

/** The only IPC channels the preload may use; main registers a handler for each, and no more. */
export const IPC_CHANNELS = {
  rpc: 'rpc',
  jobFile: 'jobs.file',
  print: 'print',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

export interface BridgeCallOptions {
  /** The session token from `auth.login`; the renderer keeps it, as it does in browser mode. */
  token?: string | null;
  meta?: CallMeta;
}

/** An export job's output, delivered whole: exports are reports, not gigabytes. */
export interface JobFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export interface PrintOptions {
  /** Print straight to the printer without the dialog: receipt printers at the counter. */
  silent?: boolean;
  /** A printer name as the operating system knows it; the default printer when absent. */
  deviceName?: string;
}

/** Printing is not an RPC: a cancelled dialog or a missing printer is an outcome, not an error. */
export type PrintOutcome = { printed: true } | { printed: false; reason: string };

export interface Plug1Bridge {
  platform: 'electron';
  call(name: string, input: unknown, opts?: BridgeCallOptions): Promise<RpcResult<unknown>>;
  jobFile(jobId: string, token: string | null): Promise<RpcResult<JobFile>>;
  /** Prints the current page (a receipt or a bill laid out by print CSS). */
  print(options?: PrintOptions): Promise<PrintOutcome>;
}

/** Procedure names as the preload and main both accept them: `auth.login`, `energy.meterReadings.create`. */
export const PROCEDURE_NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;

declare global {
  interface Window {
    /** Present only inside the desktop shell. */
    plug1?: Plug1Bridge;
  }
}
