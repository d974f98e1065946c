import type { ChainHead, EventResult, JournalRow, LocalCheck, TamperFinding, UploadResponse } from '../../src-shared/contracts/sync';
import { sqlAll, sqlGet, sqlRun } from '../core/db/store';
import type { Kernel } from '../core/rpc/kernel';
import { dispatch } from '../core/rpc/pipeline';
import { newId } from '../core/util/ids';
import { retryDelayMs } from './backoff';
import { SyncFailure, hqClient, type HqClient } from './client';
import { clockOffsetMs } from './drift';
import { recordSyncException } from './exceptions';
import { checkJournal } from './journal-check';
import { APPLY_MASTER_DATA } from './master-data-types';
import { applySeal } from './apply';
import { syncIntervalMinutes } from './settings';
import { ensureSyncState, localHead, recordSyncState } from './state';
import type { SyncStateTable } from './tables';

/**
 * One sync run: say hello (HQ's anchor, its clock), check the journal, upload every event HQ does
 * not hold yet in `seq` order, then download and apply master data. Uploads are at-least-once:
 * the cursor always comes from HQ ("highest contiguous seq you hold"), never from what the branch
 * believes it sent, so a crash, a timeout after HQ applied a batch, or a duplicated request all
 * resolve themselves on the next run. A run that fails schedules the next one with backoff.
 */
export interface SyncRunOptions {
  trigger: 'schedule' | 'manual';
  fetch?: typeof fetch;
  /** Per request to HQ. */
  timeoutMs?: number;
  /** Events per upload request. */
  batchSize?: number;
  /** Master-data changes per download (one transaction each). */
  masterBatchSize?: number;
  random?: () => number;
  onProgress?: (fraction: number, message: string) => void;
  /** How long "Sync now" waits for a run already going before it gives up (default: one lease). */
  waitForRunningMs?: number;
}

export type SyncOutcome = 'succeeded' | 'blocked' | 'failed' | 'skipped';

export interface SyncRunResult {
  outcome: SyncOutcome;
  message: string;
  uploaded: number;
  duplicates: number;
  confirmedSeq: number;
  masterApplied: number;
  findings: TamperFinding[];
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_BATCH_SIZE = 2000;
/**
 * Scheduled runs re-check the already-synced part of the journal at most this often (each check
 * reads and rehashes all of it); "Sync now" always checks.
 */
export const SCHEDULED_CHECK_EVERY_MS = 60 * 60_000;
const lastFullCheck = new WeakMap<object, number>();
const DEFAULT_MASTER_BATCH = 500;
/** Upload requests on their way at once: one being stored at HQ, the next one travelling. */
const PIPELINE_DEPTH = 2;
/** Longer than one request may take, so a live run never loses its lease mid-batch. */
const LEASE_MS = 2 * DEFAULT_TIMEOUT_MS + 60_000;
const WAIT_POLL_MS = 250;

function acquireLease(kernel: Kernel, owner: string): boolean {
  const now = kernel.clock();
  const result = sqlRun(
    kernel.db,
    `UPDATE sync_state SET run_owner = ?, run_lease_until = ? WHERE id = 1 AND (run_lease_until IS NULL OR run_lease_until <= ? OR run_owner = ?)`,
    owner,
    new Date(now.getTime() + LEASE_MS).toISOString(),
    now.toISOString(),
    owner,
  );
  return result.changes === 1;
}

function releaseLease(kernel: Kernel, owner: string): void {
  sqlRun(kernel.db, 'UPDATE sync_state SET run_owner = NULL, run_lease_until = NULL WHERE id = 1 AND run_owner = ?', owner);
}

/** Called by the scheduler at start: a run of a process that died cannot still be going. */
export function clearStaleLease(kernel: Kernel): void {
  sqlRun(kernel.db, 'UPDATE sync_state SET run_owner = NULL, run_lease_until = NULL WHERE id = 1');
}

const blockingFinding = (f: TamperFinding) => f.kind === 'journal.rewritten' || f.kind === 'journal.truncated';

export async function runSync(kernel: Kernel, options: SyncRunOptions): Promise<SyncRunResult> {
  const branchId = kernel.branch().id;
  const result: SyncRunResult = { outcome: 'skipped', message: '', uploaded: 0, duplicates: 0, confirmedSeq: 0, masterApplied: 0, findings: [] };
  if (branchId === 'unset') return { ...result, message: 'The branch is not set up yet' };
  const nowIso = () => kernel.clock().toISOString();
  const state = ensureSyncState(kernel.db, branchId, nowIso());
  result.confirmedSeq = state.confirmed_seq;
  if (!state.hq_url || !state.token) return { ...result, message: 'Not connected to HQ: enter the HQ address and token first' };
  if (state.enabled !== 1 && options.trigger === 'schedule') return { ...result, message: 'Sync is turned off' };

  const owner = newId();
  const progress = options.onProgress ?? (() => {});
  if (!acquireLease(kernel, owner)) {
    // A scheduled run yields to the one going. "Sync now" waits for it and then runs itself:
    // answering "already running" as if it had synced would hide whether this click did anything.
    if (options.trigger !== 'manual') return { ...result, message: 'A sync is already running' };
    progress(0, 'Waiting for the sync already running to finish');
    const deadline = Date.now() + (options.waitForRunningMs ?? LEASE_MS);
    while (!acquireLease(kernel, owner)) {
      if (Date.now() >= deadline) return { ...result, outcome: 'failed', message: 'Another sync is still running; try again when it has finished' };
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }
  // Read again under the lease: the run before this one may have moved the cursor, and the connection may have changed.
  const current = ensureSyncState(kernel.db, branchId, nowIso());
  if (!current.hq_url || !current.token) {
    releaseLease(kernel, owner);
    return { ...result, message: 'Not connected to HQ: enter the HQ address and token first' };
  }
  result.confirmedSeq = current.confirmed_seq;
  recordSyncState(kernel.db, { last_attempt_at: nowIso() }, nowIso());
  try {
    const client = hqClient({ hqUrl: current.hq_url, token: current.token, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, fetch: options.fetch });
    const run = new Run(kernel, client, branchId, owner, options, result, progress);
    await run.execute();
    const interval = kernel.settings.get(syncIntervalMinutes) * 60_000;
    const blocked = result.outcome === 'blocked';
    recordSyncState(
      kernel.db,
      {
        // Blocked is no transport failure (no backoff), but not a success either: something is held back.
        ...(blocked ? {} : { last_success_at: nowIso() }),
        consecutive_failures: 0,
        last_error: blocked ? result.message : null,
        next_attempt_at: new Date(kernel.clock().getTime() + interval).toISOString(),
      },
      nowIso(),
    );
    return result;
  } catch (err) {
    if (!(err instanceof SyncFailure)) kernel.log.error('sync run failed', err);
    const failures = (sqlGet<{ n: number }>(kernel.db, 'SELECT consecutive_failures AS n FROM sync_state WHERE id = 1')?.n ?? 0) + 1;
    const message = err instanceof Error ? err.message : String(err);
    recordSyncState(
      kernel.db,
      {
        consecutive_failures: failures,
        last_error: message,
        next_attempt_at: new Date(kernel.clock().getTime() + retryDelayMs(failures, options.random)).toISOString(),
      },
      nowIso(),
    );
    return { ...result, outcome: 'failed', message };
  } finally {
    releaseLease(kernel, owner);
  }
}

class Run {
  private localCheck: LocalCheck = { ok: true, checked: 0, firstBadSeq: null, problem: null };

  constructor(
    private readonly kernel: Kernel,
    private readonly client: HqClient,
    private readonly branchId: string,
    private readonly owner: string,
    private readonly options: SyncRunOptions,
    private readonly result: SyncRunResult,
    private readonly progress: (fraction: number, message: string) => void,
  ) {}

  private get db() {
    return this.kernel.db;
  }

  private now(): string {
    return this.kernel.clock().toISOString();
  }

  private keepLease(): void {
    if (!acquireLease(this.kernel, this.owner)) throw new SyncFailure('Another sync took over this one');
  }

  async execute(): Promise<void> {
    this.progress(0, 'Contacting HQ');
    const sentAt = this.kernel.clock().getTime();
    const hello = await this.client.hello();
    const offset = clockOffsetMs(sentAt, this.kernel.clock().getTime(), hello.serverTime);
    if (hello.branchId !== this.branchId) {
      throw new SyncFailure(`HQ knows this token as branch ${hello.branchId}, but this store is branch ${this.branchId}: enter this branch's own token`);
    }
    // HQ's anchor is the truth about what it holds, whatever this branch recorded before a crash.
    this.confirm(hello.anchor);
    recordSyncState(this.db, { clock_offset_ms: offset }, this.now());

    const lastCheck = lastFullCheck.get(this.db);
    const checkDue = this.options.trigger === 'manual' || lastCheck === undefined || Date.now() - lastCheck >= SCHEDULED_CHECK_EVERY_MS;
    if (checkDue) {
      this.progress(0.02, 'Checking the journal');
      this.localCheck = await checkJournal(this.db, hello.anchor.seq);
      if (this.localCheck.ok) lastFullCheck.set(this.db, Date.now());
    }
    if (!this.localCheck.ok) {
      this.exception('branch', {
        kind: 'journal.edited',
        seq: this.localCheck.firstBadSeq,
        message: `The journal fails its own check: ${this.localCheck.problem ?? 'altered'}`,
      });
    }

    await this.upload(hello.anchor);
    if (this.blocked()) return;
    const applied = await this.downloadMasterData();
    // Applying master data journals it; send those events too so HQ sees the branch up to date.
    if (applied > 0 && !this.blocked()) await this.upload({ seq: this.result.confirmedSeq, hash: this.confirmedHash() });
    if (this.blocked()) return;
    this.result.outcome = 'succeeded';
    this.result.message = `Up to date: HQ holds the journal up to event ${this.result.confirmedSeq}; ${this.result.uploaded} uploaded, ${this.result.masterApplied} master-data changes applied`;
  }

  /** A method, not a field read: the upload and download steps change the outcome as they go. */
  private blocked(): boolean {
    return this.result.outcome === 'blocked';
  }

  private confirmedHash(): string {
    return sqlGet<{ h: string }>(this.db, 'SELECT confirmed_hash AS h FROM sync_state WHERE id = 1')!.h;
  }

  private confirm(anchor: ChainHead): void {
    this.result.confirmedSeq = anchor.seq;
    recordSyncState(this.db, { confirmed_seq: anchor.seq, confirmed_hash: anchor.hash, confirmed_at: this.now() }, this.now());
  }

  private exception(source: 'hq' | 'branch', f: { kind: TamperFinding['kind']; seq: number | null; message: string; eventId?: string; details?: unknown }): void {
    recordSyncException(this.db, {
      branchId: this.branchId,
      source,
      kind: f.kind,
      dedupeKey: f.eventId ? `${f.seq}:${f.eventId}` : `${f.kind}:${f.seq ?? ''}`,
      seq: f.seq,
      eventId: f.eventId ?? null,
      message: f.message,
      details: f.details,
      at: this.now(),
    });
  }

  /**
   * Sends the events HQ does not hold, in batches, two at a time: while HQ stores one batch the
   * next is already on its way (HQ takes a branch's batches one after the other). A batch sent
   * ahead continues from where the one before it ends; when HQ did not take all of that one, it
   * answers the next with conflicts, and sending starts again from what HQ holds.
   */
  private async upload(from: ChainHead): Promise<void> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const total = Math.max(1, localHead(this.db).seq - from.seq);
    const inFlight: { last: number; answer: Promise<UploadResponse> }[] = [];
    let sentThrough = from.seq;
    let confirmed = from.seq;
    let exhausted = false;
    let stalled = 0;

    const send = (after: number) => {
      this.keepLease();
      const events = sqlAll<JournalRow>(this.db, 'SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?', after, batchSize);
      const answer = this.client.upload({
        branchId: this.branchId,
        sentAt: this.now(),
        head: localHead(this.db),
        continuesFrom: after,
        anchorProof: after > 0 ? (sqlGet<JournalRow>(this.db, 'SELECT * FROM audit_events WHERE seq = ?', after) ?? null) : null,
        localCheck: this.localCheck,
        events,
      });
      // Awaited in order below; until then a failure must not count as unhandled.
      answer.catch(() => {});
      sentThrough = events.at(-1)?.seq ?? after;
      exhausted = events.length < batchSize;
      inFlight.push({ last: sentThrough, answer });
    };
    const settleAll = async () => {
      await Promise.allSettled(inFlight.map((b) => b.answer));
      inFlight.length = 0;
    };

    // Always at least one request, even with nothing pending: it carries the anchor check.
    send(from.seq);
    while (inFlight.length > 0) {
      if (!exhausted && inFlight.length < PIPELINE_DEPTH) {
        send(sentThrough);
        continue;
      }
      const batch = inFlight.shift()!;
      let response: UploadResponse;
      try {
        response = await batch.answer;
      } catch (err) {
        await settleAll();
        throw err;
      }
      this.confirm(response.anchor);
      this.tally(response.results);
      if (this.recordProblems(response)) {
        this.result.outcome = 'blocked';
        await settleAll();
        return;
      }
      if (response.anchor.seq < batch.last) {
        // HQ holds less than this batch assumed (restored from a backup): start again from its anchor.
        await settleAll();
        stalled = response.anchor.seq > confirmed ? 0 : stalled + 1;
        if (stalled >= 2) throw new SyncFailure(`HQ accepts no events after ${response.anchor.seq} and names no reason`);
        confirmed = response.anchor.seq;
        send(confirmed);
        continue;
      }
      confirmed = response.anchor.seq;
      stalled = 0;
      this.progress(0.05 + 0.8 * Math.min(1, (confirmed - from.seq) / total), `Uploaded up to event ${confirmed}`);
    }
  }

  private tally(results: readonly EventResult[]): void {
    for (const r of results) {
      if (r.outcome === 'applied') this.result.uploaded += 1;
      else if (r.outcome === 'duplicate') this.result.duplicates += 1;
    }
  }

  /** Records what HQ refused and what it found; answers whether the stream is blocked. */
  private recordProblems(response: UploadResponse): boolean {
    for (const f of response.findings) {
      this.result.findings.push(f);
      this.exception('hq', { kind: f.kind, seq: f.seq, message: `HQ: ${f.message}` });
    }
    const blocking = response.findings.filter(blockingFinding);
    const rejected = response.results.filter((r) => r.outcome === 'rejected');
    for (const r of rejected) {
      // Events held back by a finding about the whole journal are covered by that finding.
      if (blocking.some((f) => f.message === r.reason)) continue;
      this.exception('hq', { kind: 'event.rejected', seq: r.seq, eventId: r.id, message: `HQ refused event ${r.seq}: ${r.reason ?? 'no reason given'}`, details: this.eventSummary(r.seq) });
    }
    if (blocking.length === 0 && rejected.length === 0) return false;
    const first = blocking[0]?.message ?? rejected[0]?.reason ?? 'HQ refused an event';
    this.result.message = `Stopped: ${first}. Events after event ${this.result.confirmedSeq} wait until this is resolved.`;
    return true;
  }

  private eventSummary(seq: number): unknown {
    return sqlGet(this.db, 'SELECT seq, id, at, actor_name, procedure, entity, entity_id, action FROM audit_events WHERE seq = ?', seq) ?? null;
  }

  private async downloadMasterData(): Promise<number> {
    // A change that could not be applied holds back every later one until someone resolves it.
    const held = sqlGet<{ message: string }>(this.db, "SELECT message FROM sync_exceptions WHERE status = 'open' AND kind = 'masterData.unapplied' LIMIT 1");
    if (held) {
      this.result.outcome = 'blocked';
      this.result.message = `Stopped: ${held.message}. Later master data waits until this exception is resolved.`;
      return 0;
    }
    const limit = this.options.masterBatchSize ?? DEFAULT_MASTER_BATCH;
    let cursor = (sqlGet<Pick<SyncStateTable, 'master_cursor'>>(this.db, 'SELECT master_cursor FROM sync_state WHERE id = 1')?.master_cursor ?? 0);
    let applied = 0;
    let raced = 0;
    for (;;) {
      this.keepLease();
      this.progress(0.9, 'Downloading master data');
      const response = await this.client.masterData(cursor, limit);
      if (response.changes.length === 0) break;
      const answer = dispatch(this.kernel, APPLY_MASTER_DATA, { seal: applySeal(), after: cursor, changes: response.changes }, { principal: null });
      if (!answer.ok) {
        if (answer.error.code === 'CONFLICT' && raced < 3) {
          raced += 1;
          cursor = Number((answer.error.details as { cursor?: number } | undefined)?.cursor ?? cursor);
          continue;
        }
        throw new SyncFailure(`Master data from HQ could not be applied: ${answer.error.message}`);
      }
      const { applied: n, cursor: next, stoppedAt } = answer.result as { applied: number; cursor: number; stoppedAt: number | null };
      applied += n;
      this.result.masterApplied += n;
      cursor = next;
      if (stoppedAt !== null) {
        this.result.outcome = 'blocked';
        this.result.message = `Stopped: master-data change ${stoppedAt} from HQ could not be applied. Later master data waits until its exception is resolved; the journal still goes up`;
        break;
      }
      if (response.changes.length < limit) break;
    }
    return applied;
  }
}
