import type { MantineColor } from '@mantine/core';
import {
  ASSET_CLASSES,
  ASSET_STATUSES,
  DOWNTIME_REASONS,
  PRIORITIES,
  WORK_ORDER_STATUSES,
  WORK_ORDER_STATUS_LABELS,
  type AssetClass,
  type DowntimeReason,
} from '../../../../src-shared/contracts/energy/maintenance';

/** Paths, words and colours the maintenance screens share; the contract owns the names. */

export const BASE = '/energy/maintenance';

/**
 * What a maintenance write makes stale: every query of the function, since its records refer to
 * one another (a stop changes its asset, an issue its part and its work order).
 */
export const MAINTENANCE = ['energy.maintenance.'];
export const WORK_ORDERS = `${BASE}/work-orders`;
export const ASSETS = `${BASE}/assets`;
export const PARTS = `${BASE}/parts`;
export const workOrderPath = (id: string) => `${WORK_ORDERS}/${encodeURIComponent(id)}`;
export const assetPath = (id: string) => `${ASSETS}/${encodeURIComponent(id)}`;
export const partPath = (id: string) => `${PARTS}/${encodeURIComponent(id)}`;

export const ASSET_STATUS_LABELS = { operational: 'Operational', down: 'Down', standby: 'Standby', retired: 'Retired' } as const;
export const PRIORITY_LABELS = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' } as const;
export const PRIORITY_COLORS: Record<keyof typeof PRIORITY_LABELS, MantineColor> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' };
export const TYPE_LABELS = { corrective: 'Corrective', preventive: 'Preventive' } as const;

export const classOptions = (Object.keys(ASSET_CLASSES) as AssetClass[]).map((value) => ({ value, label: ASSET_CLASSES[value] }));
export const assetStatusOptions = ASSET_STATUSES.map((value) => ({ value, label: ASSET_STATUS_LABELS[value] }));
export const statusOptions = WORK_ORDER_STATUSES.map((value) => ({ value, label: WORK_ORDER_STATUS_LABELS[value] }));
export const priorityOptions = PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value] }));
export const typeOptions = [
  { value: 'corrective', label: 'Corrective' },
  { value: 'preventive', label: 'Preventive' },
];
export const reasonOptions = (Object.keys(DOWNTIME_REASONS) as DowntimeReason[]).map((value) => ({
  value,
  label: `${DOWNTIME_REASONS[value].label}${DOWNTIME_REASONS[value].failure ? ' (failure)' : ''}`,
}));

export { ASSET_CLASSES, DOWNTIME_REASONS, WORK_ORDER_STATUS_LABELS };
