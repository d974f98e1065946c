/** The journal's names for package types, shared by the handlers and HQ's master data. */
export const TYPE_ENTITY = 'packageType';

/**
 * The first sale stamps `first_sold_at` on the type and journals it under this action: day-to-day
 * operation at the counter, which stays allowed once HQ owns the package types.
 */
export const FIRST_SALE_ACTION = 'terms frozen by the first sale';
