import { openHq, type Hq, type HqOptions } from './hq';
import { startHqServer, type HqServer } from './http';
import { ensureAdminToken, hasAdminTokens, issueAdminToken } from './branches';

export type { Hq } from './hq';

export interface RunningHq {
  hq: Hq;
  server: HqServer;
  url: string;
  /** Set when this start issued the first administrator token (shown once). */
  firstAdminToken: string | null;
  close(): Promise<void>;
}

/**
 * Opens the database and serves the API. An HQ without any administrator token issues one and
 * hands it back once (the CLI prints it); `adminToken` makes a token chosen elsewhere valid.
 */
export async function startHq(options: HqOptions & { port?: number; host?: string; adminToken?: string }): Promise<RunningHq> {
  const hq = await openHq(options);
  try {
    if (options.adminToken) await ensureAdminToken(hq, options.adminToken, 'configured');
    const firstAdminToken = (await hasAdminTokens(hq)) ? null : await issueAdminToken(hq, 'first administrator');
    const server = await startHqServer(hq, { port: options.port ?? 0, host: options.host });
    return {
      hq,
      server,
      url: server.url,
      firstAdminToken,
      async close() {
        await server.close();
        await hq.close();
      },
    };
  } catch (err) {
    await hq.close();
    throw err;
  }
}
