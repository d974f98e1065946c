import type { Sample } from '../samples';
import { billingExemptions, billingSamples } from './billing';
import { counterExemptions, counterSamples } from './counter';
import { prepaidExemptions, prepaidSamples } from './prepaid';

/** Billing, the counter and prepaid: their sample calls and the mutations covered elsewhere. */
export const billingCounterPrepaidSamples: Record<string, Sample> = { ...billingSamples, ...counterSamples, ...prepaidSamples };
export const billingCounterPrepaidExemptions: Record<string, string> = { ...billingExemptions, ...counterExemptions, ...prepaidExemptions };
