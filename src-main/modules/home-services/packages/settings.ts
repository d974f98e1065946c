import { z } from 'zod';
import { defineSetting } from '../../../core/settings/settings';
import { REFUND_BASES, type RefundBasis } from './rules';

export const refundBasis = defineSetting<RefundBasis>({
  key: 'homeServices.packages.refundBasis',
  schema: z.enum(REFUND_BASES),
  defaultValue: 'package_rate',
  description:
    'How a package refund values the sessions already used: package_rate (the package price spread over its sessions) or list_price (each used session at its service’s catalogue price, so the customer gives back the package discount).',
});
