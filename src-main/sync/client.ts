import type { z } from 'zod';
import {
  helloResponseSchema,
  masterDataResponseSchema,
  uploadResponseSchema,
  type HelloResponse,
  type MasterDataResponse,
  type UploadRequest,
  type UploadResponse,
} from '../../src-shared/contracts/sync';

/** A sync attempt that failed for a reason worth retrying later (HQ down, slow, erroring, refusing the token). */
export class SyncFailure extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'SyncFailure';
  }
}

export interface HqClient {
  hello(): Promise<HelloResponse>;
  upload(request: UploadRequest): Promise<UploadResponse>;
  masterData(after: number, limit: number): Promise<MasterDataResponse>;
}

export interface HqClientOptions {
  hqUrl: string;
  token: string;
  /** Per request, body included: a hung HQ must not hold the sync forever. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The branch's side of the wire protocol: JSON over HTTP(S), every answer checked against its schema. */
export function hqClient(options: HqClientOptions): HqClient {
  const doFetch = options.fetch ?? fetch;
  const base = options.hqUrl.endsWith('/') ? options.hqUrl : `${options.hqUrl}/`;

  async function call<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const url = new URL(path, base);
    const signal = AbortSignal.timeout(options.timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (signal.aborted) throw new SyncFailure(`HQ did not answer within ${Math.round(options.timeoutMs / 1000)} s (${url.pathname})`);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new SyncFailure(`HQ cannot be reached at ${url.origin}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    let answer: { ok?: unknown; result?: unknown; error?: { code?: string; message?: string } };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new SyncFailure(`HQ answered ${status} with something that is not JSON`, status);
    }
    if (status !== 200 || answer.ok !== true) {
      const message = answer.error?.message ?? `status ${status}`;
      throw new SyncFailure(status === 401 ? `HQ refused this branch's token: ${message}` : `HQ answered ${status}: ${message}`, status);
    }
    const parsed = schema.safeParse(answer.result);
    if (!parsed.success) throw new SyncFailure(`HQ's answer to ${url.pathname} is not in the expected form (is HQ a different version?)`, status);
    return parsed.data;
  }

  return {
    hello: () => call('GET', 'sync/hello', helloResponseSchema),
    upload: (request) => call('POST', 'sync/upload', uploadResponseSchema, request),
    masterData: (after, limit) => call('GET', `sync/master-data?after=${after}&limit=${limit}`, masterDataResponseSchema),
  };
}
