import { syncOwnership } from '../../src-shared/contracts/sync';
import { useRpcQuery } from './hooks';

export interface HqOwnership {
  /** HQ owns every record of the type: nothing of it is created or changed here. */
  ownsAll: boolean;
  isOwned(id: string): boolean;
}

/**
 * Which records of a master-data type HQ owns, so a screen can lock them instead of letting a
 * clerk fill in a form the server will refuse. Until the answer arrives nothing is shown as locked;
 * the server still refuses, so a stale screen can never change an HQ-owned record.
 */
export function useHqOwnership(entity: string): HqOwnership {
  const owned = useRpcQuery(syncOwnership, { entity });
  const ids = new Set((owned.data ?? []).map((record) => record.entityId));
  return { ownsAll: ids.has('*'), isOwned: (id) => ids.has('*') || ids.has(id) };
}
