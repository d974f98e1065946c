import type { MantineColor } from '@mantine/core';
import { PRIORITIES, PRIORITY_LABELS, type Priority } from '../../../../src-shared/contracts/home-services/common';
import { APPOINTMENT_STATUSES, CANCEL_REASONS, CHANNELS, CHANNEL_LABELS, RESCHEDULE_REASONS, STATUS_LABELS } from '../../../../src-shared/contracts/home-services/scheduling';
import { JOB_STATES, JOB_STATE_LABELS, REASSIGN_REASONS, type JobState, type SlaStatus } from '../../../../src-shared/contracts/home-services/dispatch';
import { CORRECTION_REASONS, GEOFENCE_LABELS, VISIT_STATUSES, VISIT_STATUS_LABELS, type GeofenceLevel } from '../../../../src-shared/contracts/home-services/visits';

/** Where the three field functions live; their screens link to each other (a booking → its job → its visit). */
export const SCHEDULING_PATH = '/home-services/scheduling';
export const DISPATCH_PATH = '/home-services/dispatch';
export const VISITS_PATH = '/home-services/visits';

/** A record's own page sits right under its function (`/home-services/visits/<id>`), as the reports and dashboards link it. */
export const appointmentPath = (id: string) => `${SCHEDULING_PATH}/${encodeURIComponent(id)}`;
export const jobPath = (id: string) => `${DISPATCH_PATH}/${encodeURIComponent(id)}`;
export const visitPath = (id: string) => `${VISITS_PATH}/${encodeURIComponent(id)}`;
export const MY_DAY_PATH = `${VISITS_PATH}/my-day`;

const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) => keys.map((value) => ({ value, label: labels[value] }));

export const statusOptions = options(APPOINTMENT_STATUSES, STATUS_LABELS);
export const channelOptions = options(CHANNELS, CHANNEL_LABELS);
export const priorityOptions = options(PRIORITIES, PRIORITY_LABELS);
export const jobStateOptions = options(JOB_STATES, JOB_STATE_LABELS);
export const visitStatusOptions = options(VISIT_STATUSES, VISIT_STATUS_LABELS);
export const geofenceOptions = options(['verified', 'warning', 'exception'] as const, GEOFENCE_LABELS);
export const cancelReasonOptions = Object.entries(CANCEL_REASONS).map(([value, label]) => ({ value, label }));
export const rescheduleReasonOptions = Object.entries(RESCHEDULE_REASONS).map(([value, label]) => ({ value, label }));
export const reassignReasonOptions = Object.entries(REASSIGN_REASONS).map(([value, label]) => ({ value, label }));
export const correctionReasonOptions = Object.entries(CORRECTION_REASONS).map(([value, label]) => ({ value, label }));
export const slaOptions = [
  { value: 'open', label: 'Open' },
  { value: 'at_risk', label: 'At risk' },
  { value: 'breached', label: 'Breached' },
  { value: 'met', label: 'Met' },
];

export const PRIORITY_COLORS: Record<Priority, MantineColor> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' };
export const JOB_STATE_COLORS: Record<JobState, MantineColor> = {
  unassigned: 'yellow',
  assigned: 'blue',
  en_route: 'cyan',
  on_site: 'grape',
  completed: 'green',
  cancelled: 'gray',
};
export const SLA_COLORS: Record<SlaStatus, MantineColor> = { open: 'gray', at_risk: 'orange', breached: 'red', met: 'green' };
export const SLA_LABELS: Record<SlaStatus, string> = { open: 'On track', at_risk: 'At risk', breached: 'Breached', met: 'Met' };
export const GEOFENCE_COLORS: Record<GeofenceLevel, MantineColor> = { verified: 'green', warning: 'yellow', exception: 'red' };

export { CHANNEL_LABELS, JOB_STATE_LABELS, PRIORITY_LABELS, STATUS_LABELS, VISIT_STATUS_LABELS, GEOFENCE_LABELS };
