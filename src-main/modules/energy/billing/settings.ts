import { z } from 'zod';
import { defineSetting } from '../../../core/settings/settings';

/* Billing thresholds: the trial's exception line and the approval gate on posting. */

export const highLowPercent = defineSetting({
  key: 'billing.highLowPercent',
  schema: z.number().min(1).max(1000),
  defaultValue: 50,
  description: 'A draft bill more than this percentage above or below the account’s last bill is a HIGH_BILL / LOW_BILL exception.',
});

export const postApprovalBills = defineSetting({
  key: 'billing.postApprovalBills',
  schema: z.number().int().min(0),
  defaultValue: 2000,
  description: 'Posting a run with more bills than this needs a supervisor’s approval.',
});

export const postApprovalAmount = defineSetting({
  key: 'billing.postApprovalAmount',
  schema: z.number().int().min(0),
  defaultValue: 50_000_000,
  description: 'Posting a run whose total (minor units) is above this needs a supervisor’s approval.',
});

export const dueDays = defineSetting({
  key: 'billing.dueDays',
  schema: z.number().int().min(0).max(120),
  defaultValue: 21,
  description: 'Days from the bill date to its due date.',
});
