import { SYNC_STATES, type SyncState } from '../../../src-shared/contracts/sync';

/** Each sync state in the app's colour language: green fine, yellow waiting, red needs someone. */
export const SYNC_STATE_COLOR: Record<SyncState, string> = {
  notConfigured: 'gray',
  disabled: 'gray',
  idle: 'green',
  pending: 'yellow',
  running: 'blue',
  retrying: 'orange',
  blocked: 'red',
};

export const syncStateLabel = (state: SyncState): string => SYNC_STATES[state];

/** The first and last few characters of a hash: enough to compare with HQ's screen. */
export const shortHash = (hash: string): string => `${hash.slice(0, 8)}…${hash.slice(-4)}`;
