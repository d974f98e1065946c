import { z } from 'zod';
import { CHECKLIST_STAGES, type ChecklistItem, type ChecklistStage } from '../../../../src-shared/contracts/energy/installations';
import { defineSetting, type Settings } from '../../../core/settings/settings';
import type { SlaHours } from './rules';

/*
 * Service-level allowances and per-stage checklists. The allowances are OCA field-service's
 * published defaults (72 / 48 / 24 / 8 hours from low to urgent).
 */

const hours = z.number().int().min(1).max(24 * 90);

export const slaHours = defineSetting<SlaHours>({
  key: 'installations.slaHours',
  schema: z.strictObject({ low: hours, normal: hours, high: hours, urgent: hours }),
  defaultValue: { low: 72, normal: 48, high: 24, urgent: 8 },
  description: 'Hours from receipt to commissioning a service order is allowed, per priority. Time on hold does not count.',
});

export const atRiskFraction = defineSetting({
  key: 'installations.atRiskFraction',
  schema: z.number().min(0).max(1),
  defaultValue: 0.25,
  description: 'An open order is "at risk" once less than this share of its allowance is left.',
});

const checklistItem = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'lower_snake_case keys'),
  label: z.string().min(2).max(120),
  required: z.boolean(),
});

export type Checklists = Record<ChecklistStage, ChecklistItem[]>;

export const checklists = defineSetting<Checklists>({
  key: 'installations.checklists',
  schema: z.strictObject(
    Object.fromEntries(CHECKLIST_STAGES.map((stage) => [stage, z.array(checklistItem).max(30)])) as Record<ChecklistStage, z.ZodArray<typeof checklistItem>>,
  ),
  defaultValue: {
    surveyed: [
      { key: 'site_visited', label: 'Site visited and supply point identified', required: true },
      { key: 'load_assessed', label: 'Customer load assessed against the network', required: true },
      { key: 'photos_taken', label: 'Photos of the supply point taken', required: false },
    ],
    approved: [{ key: 'budget_checked', label: 'Materials available or on order', required: true }],
    scheduled: [{ key: 'customer_informed', label: 'Customer told the date and crew', required: true }],
    installed: [
      { key: 'meter_sealed', label: 'Meter sealed and seal number noted', required: true },
      { key: 'earth_tested', label: 'Earth and insulation tested', required: true },
      { key: 'site_cleaned', label: 'Site left clean', required: false },
    ],
    commissioned: [
      { key: 'supply_energized', label: 'Supply switched on and tested at the point of use', required: true },
      { key: 'customer_shown', label: 'Customer shown the meter and given the account number', required: true },
    ],
    closed: [{ key: 'paperwork_filed', label: 'Signed job card and test certificate filed', required: true }],
  },
  description: 'Checklist per stage, as JSON. An order cannot reach a stage while one of its required items is unticked.',
});

export const readSlaHours = (settings: Settings): SlaHours => settings.get(slaHours);
export const readChecklist = (settings: Settings, stage: ChecklistStage): ChecklistItem[] => settings.get(checklists)[stage];
