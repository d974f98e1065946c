import type { Sample } from '../samples';
import { packageExemptions, packageSamples } from './packages';
import { subscriptionExemptions, subscriptionSamples } from './subscriptions';

/** Package and subscription billing: their sample calls and the mutations covered elsewhere. */
export const packagesSubscriptionsSamples: Record<string, Sample> = { ...packageSamples, ...subscriptionSamples };
export const packagesSubscriptionsExemptions: Record<string, string> = { ...packageExemptions, ...subscriptionExemptions };
