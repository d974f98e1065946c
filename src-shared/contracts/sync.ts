import { z } from 'zod';
import { PUBLIC, SIGNED_IN, allow, id, isoDateTime, mutation, page, pageInput, query, reason, version } from '../rpc';

/**
 * Branch → HQ sync. Two halves live here because both sides must agree on them byte for byte:
 * the wire protocol between a branch and the HQ server (plain JSON over HTTP, validated at HQ with
 * these schemas), and the branch's own procedures behind the Sync status screen.
 */

/* ---------------- wire protocol (branch ⇄ HQ) ---------------- */

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 hash in lower-case hex');
const text = (max: number) => z.string().max(max);

/**
 * One journal event exactly as the branch stores it (`audit_events`, snake_case). It travels
 * unchanged so HQ recomputes `hash = SHA-256(prev_hash || canonical JSON of the rest)` itself;
 * an unknown member is refused rather than silently left out of the hash.
 */
export const journalRowSchema = z.strictObject({
  seq: z.number().int().positive(),
  id: text(64).min(1),
  branch_id: text(64).min(1),
  at: text(40),
  actor_id: text(64).nullable(),
  actor_name: text(200).nullable(),
  session_id: text(64).nullable(),
  shift_id: text(64).nullable(),
  procedure: text(120),
  entity: text(80),
  entity_id: text(200),
  action: text(120),
  before_json: z.string().nullable(),
  after_json: z.string().nullable(),
  reason: z.string().nullable(),
  approval_id: text(64).nullable(),
  prev_hash: hash,
  hash,
});
export type JournalRow = z.infer<typeof journalRowSchema>;

/** The head of a journal: the last event's sequence number and hash (seq 0 = nothing yet). */
export const chainHeadSchema = z.object({ seq: z.number().int().nonnegative(), hash });
export type ChainHead = z.infer<typeof chainHeadSchema>;

export const helloResponseSchema = z.object({
  branchId: z.string(),
  branchName: z.string(),
  /** The last event HQ holds for this branch: uploads continue from `anchor.seq + 1`. */
  anchor: chainHeadSchema,
  /** The newest master-data version published for this branch. */
  masterHead: z.number().int().nonnegative(),
  /** HQ's clock when it answered, for the drift warning. */
  serverTime: isoDateTime,
});
export type HelloResponse = z.infer<typeof helloResponseSchema>;

/** The branch's own check of its chain before uploading (recomputing every hash it holds). */
export const localCheckSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
});
export type LocalCheck = z.infer<typeof localCheckSchema>;

export const UPLOAD_MAX_EVENTS = 5000;

export const uploadRequestSchema = z.strictObject({
  branchId: id,
  /** The branch's clock when it sent the batch. */
  sentAt: isoDateTime,
  /** The branch's local head, so HQ can tell a journal shorter than what it already holds. */
  head: chainHeadSchema,
  /** The last event the branch believes HQ holds (HQ's anchor at its last answer); `events` follow it. */
  continuesFrom: z.number().int().nonnegative(),
  /**
   * The branch's copy of event `continuesFrom` (null when that is 0, or when the branch no longer
   * has it). HQ compares it with its own copy: a rewritten or edited journal shows here.
   */
  anchorProof: journalRowSchema.nullable(),
  localCheck: localCheckSchema,
  /** In `seq` order, continuing from HQ's anchor. May be empty: the call still checks the anchor. */
  events: z.array(journalRowSchema).max(UPLOAD_MAX_EVENTS),
});
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

/**
 * applied: stored and anchored now. duplicate: HQ already held this very event (a retry).
 * conflict: not applied yet because an earlier event is missing (send from highestContiguousSeq + 1).
 * rejected: will never be applied as sent; it is in the exceptions list at both ends.
 */
export const EVENT_OUTCOMES = ['applied', 'duplicate', 'conflict', 'rejected'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

export const eventResultSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  outcome: z.enum(EVENT_OUTCOMES),
  reason: z.string().nullable(),
});
export type EventResult = z.infer<typeof eventResultSchema>;

/** Kinds of sync exception; each names what went wrong, at either end. */
export const SYNC_EXCEPTION_KINDS = {
  'event.rejected': 'HQ refused an event',
  'journal.edited': 'The branch journal was edited after it was written',
  'journal.rewritten': 'The branch journal no longer matches what HQ anchored',
  'journal.truncated': 'The branch journal is shorter than what HQ already holds',
  'masterData.unapplied': 'A master-data change from HQ could not be applied here',
} as const;
export type SyncExceptionKind = keyof typeof SYNC_EXCEPTION_KINDS;
export const syncExceptionKindSchema = z.enum(Object.keys(SYNC_EXCEPTION_KINDS) as [SyncExceptionKind, ...SyncExceptionKind[]]);

/** What HQ found wrong with the journal as a whole (not one event): the branch is told at once. */
export const tamperFindingSchema = z.object({
  kind: syncExceptionKindSchema,
  seq: z.number().int().nullable(),
  message: z.string(),
});
export type TamperFinding = z.infer<typeof tamperFindingSchema>;

export const uploadResponseSchema = z.object({
  results: z.array(eventResultSchema),
  /** Every event up to here is held at HQ, without gaps: the branch's confirmed cursor. */
  highestContiguousSeq: z.number().int().nonnegative(),
  anchor: chainHeadSchema,
  findings: z.array(tamperFindingSchema),
  serverTime: isoDateTime,
});
export type UploadResponse = z.infer<typeof uploadResponseSchema>;

/**
 * upsert: HQ owns the record and sends its current state. delete: HQ owns it and withdrew it
 * (deactivated, reset to default; each type says). release: HQ stops owning it; the branch may
 * edit it again.
 */
export const MASTER_OPS = ['upsert', 'delete', 'release'] as const;
export type MasterOp = (typeof MASTER_OPS)[number];

export const masterChangeSchema = z.object({
  version: z.number().int().positive(),
  entity: z.string().min(1).max(80),
  entityId: z.string().min(1).max(200),
  op: z.enum(MASTER_OPS),
  data: z.unknown().nullable(),
});
export type MasterChange = z.infer<typeof masterChangeSchema>;

export const masterDataResponseSchema = z.object({
  changes: z.array(masterChangeSchema),
  /** Newest version published for this branch; more to fetch while the last change is below it. */
  head: z.number().int().nonnegative(),
  serverTime: isoDateTime,
});
export type MasterDataResponse = z.infer<typeof masterDataResponseSchema>;

/** Every HQ error answer: the same `{ ok: false, error }` shape the branch pipeline speaks. */
export const hqErrorSchema = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.string(), message: z.string() }),
});

/* ---------------- branch procedures (the Sync status screen) ---------------- */

export const SYNC_STATES = {
  notConfigured: 'Not connected to HQ',
  disabled: 'Sync is turned off',
  idle: 'Up to date',
  pending: 'Waiting to upload',
  running: 'Syncing now',
  retrying: 'HQ unreachable: retrying',
  blocked: 'Stopped: an exception needs attention',
} as const;
export type SyncState = keyof typeof SYNC_STATES;

export const syncStatusSchema = z.object({
  state: z.enum(Object.keys(SYNC_STATES) as [SyncState, ...SyncState[]]),
  branchId: z.string(),
  hqUrl: z.string().nullable(),
  enabled: z.boolean(),
  hasToken: z.boolean(),
  intervalMinutes: z.number(),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** The local journal's head and how many of its events HQ does not hold yet. */
  localHead: chainHeadSchema,
  pendingEvents: z.number().int(),
  /** What HQ confirmed holding: the anchor that makes a rewritten or shortened journal visible. */
  anchor: chainHeadSchema.extend({ confirmedAt: z.string().nullable() }),
  masterCursor: z.number().int(),
  /** HQ's clock minus ours, measured at the last contact (null before the first). */
  clockOffsetMs: z.number().nullable(),
  driftWarning: z.string().nullable(),
  openExceptions: z.number().int(),
  configVersion: z.number().int(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const SYNC_EXCEPTION_STATUSES = ['open', 'resolved'] as const;

export const syncExceptionSchema = z.object({
  id: z.string(),
  kind: syncExceptionKindSchema,
  kindLabel: z.string(),
  /** Who found it: HQ (in its answer) or this branch. */
  source: z.enum(['hq', 'branch']),
  seq: z.number().int().nullable(),
  eventId: z.string().nullable(),
  message: z.string(),
  details: z.unknown().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  occurrences: z.number().int(),
  status: z.enum(SYNC_EXCEPTION_STATUSES),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  version: z.number().int(),
});
export type SyncException = z.infer<typeof syncExceptionSchema>;

export const syncStatus = query({
  name: 'sync.status',
  description: 'Connection to HQ: last success, pending events, the HQ anchor of the journal, clock drift, open exceptions.',
  access: allow('sync', 'view'),
  input: z.strictObject({}),
  output: syncStatusSchema,
});

export const syncExceptions = query({
  name: 'sync.exceptions',
  description: 'Sync exceptions (events HQ refused, journal tampering, master data that could not be applied), newest first.',
  access: allow('sync', 'view'),
  input: z.strictObject({ status: z.enum([...SYNC_EXCEPTION_STATUSES, 'all']).default('open'), ...pageInput }),
  output: page(syncExceptionSchema),
});

export const syncNow = mutation({
  name: 'sync.now',
  description: 'Upload pending journal events and download master data now, as a background job.',
  access: allow('sync', 'submit'),
  input: z.strictObject({}),
  output: z.object({ jobId: z.string() }),
});

const hqUrl = z
  .string()
  .trim()
  .max(300)
  .url('Give the HQ address, e.g. https://hq.example.com')
  .refine((u) => /^https?:\/\//.test(u), 'Use an http or https address');

export const syncConfigure = mutation({
  name: 'sync.configure',
  description: 'Set the HQ address and this branch’s token (from HQ), or turn sync on or off.',
  access: allow('sync', 'admin'),
  input: z.strictObject({
    hqUrl: hqUrl.nullable(),
    /** Omitted: keep the stored token. The token is never shown again or written to the journal. */
    token: z.string().trim().min(16, 'Paste the whole token HQ issued').max(200).optional(),
    enabled: z.boolean(),
    version,
  }),
  output: syncStatusSchema,
});

export const syncResolveException = mutation({
  name: 'sync.resolveException',
  description: 'Mark a sync exception as dealt with, saying how; the next sync tries again.',
  access: allow('sync', 'edit'),
  input: z.strictObject({
    id,
    version,
    note: reason,
    /**
     * For master data that cannot be applied here: move past that change for good instead of
     * trying it again (HQ is told through the journal event this writes).
     */
    skipChange: z.boolean().default(false),
  }),
  output: syncExceptionSchema,
});

export const ownedRecordSchema = z.object({
  entity: z.string(),
  /** What people call the type ("service" for `hsService`). */
  label: z.string(),
  /** `*` when HQ owns every record of the type. */
  entityId: z.string(),
  masterVersion: z.number().int(),
  since: z.string(),
});

export const syncOwnership = query({
  name: 'sync.ownership',
  description: 'Records owned by HQ (read-only here), so screens can show them locked.',
  access: SIGNED_IN,
  input: z.strictObject({ entity: z.string().min(1).max(80).optional() }),
  output: z.array(ownedRecordSchema),
});

/**
 * In-process only: the sync engine applies one downloaded batch of master data through the
 * pipeline, in one transaction with its audit events.
 */
export const syncApplyMasterData = mutation({
  name: 'sync.applyMasterData',
  description: 'Apply one batch of master data downloaded from HQ (sync engine only).',
  access: PUBLIC,
  internal: true,
  input: z.strictObject({
    /**
     * A secret of the process running the sync engine: master data must come from HQ through the
     * engine, never from a caller that merely reached the pipeline (a transport without a filter).
     */
    seal: z.string().max(100),
    /** The cursor this batch continues from; a batch already applied is refused as a conflict. */
    after: z.number().int().nonnegative(),
    changes: z.array(masterChangeSchema).min(1).max(5000),
  }),
  output: z.object({
    applied: z.number().int(),
    cursor: z.number().int(),
    /** The change that stopped the batch, when one could not be applied. */
    stoppedAt: z.number().int().nullable(),
  }),
});

export const syncContracts = [syncStatus, syncExceptions, syncNow, syncConfigure, syncResolveException, syncOwnership, syncApplyMasterData] as const;
