import type { MantineColor } from '@mantine/core';
import {
  ORDER_TYPES,
  PRIORITIES,
  PRIORITY_LABELS,
  STAGE_LABELS,
  STAGES,
  SURVEY_RESULTS,
  type OrderType,
  type Priority,
  type SlaState,
  type Stage,
} from '../../../../src-shared/contracts/energy/installations';

/** Words and colours the installation screens share; the contract owns the names. */

export const FUNCTION_PATH = '/energy/installations';
export const orderPath = (id: string) => `${FUNCTION_PATH}/${encodeURIComponent(id)}`;

export const STAGE_COLORS: Record<Stage, MantineColor> = {
  requested: 'gray',
  surveyed: 'cyan',
  approved: 'teal',
  scheduled: 'blue',
  installed: 'indigo',
  commissioned: 'green',
  closed: 'dark',
  cancelled: 'gray',
};

export const SLA_LABELS: Record<SlaState, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  breached: 'Breached',
  met: 'Met',
  paused: 'Paused',
  none: 'No deadline',
};

export const SLA_COLORS: Record<SlaState, MantineColor> = {
  on_track: 'green',
  at_risk: 'orange',
  breached: 'red',
  met: 'green',
  paused: 'yellow',
  none: 'gray',
};

export const PRIORITY_COLORS: Record<Priority, MantineColor> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' };

export const stageOptions = STAGES.map((value) => ({ value, label: STAGE_LABELS[value] }));
export const typeOptions = (Object.keys(ORDER_TYPES) as OrderType[]).map((value) => ({ value, label: ORDER_TYPES[value] }));
export const priorityOptions = PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value] }));
export const surveyResultOptions = (Object.keys(SURVEY_RESULTS) as (keyof typeof SURVEY_RESULTS)[]).map((value) => ({ value, label: SURVEY_RESULTS[value] }));
export const slaFilterOptions = [
  { value: 'breached', label: 'Breached' },
  { value: 'at_risk', label: 'At risk' },
  { value: 'on_track', label: 'On track' },
  { value: 'paused', label: 'Paused (on hold)' },
];

/** The open stages, in the order work flows through them: what can still be put on hold or cancelled. */
export const QUEUE_STAGES: Stage[] = ['requested', 'surveyed', 'approved', 'scheduled', 'installed'];


/** What the next step is called on the button that takes it. */
export const NEXT_STEP_LABEL: Partial<Record<Stage, string>> = {
  requested: 'Record survey',
  surveyed: 'Request approval',
  approved: 'Schedule',
  scheduled: 'Record installation',
  installed: 'Commission',
  commissioned: 'Close the order',
};
