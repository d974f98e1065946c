import { TRANSACTION_TYPE_LABELS } from '../../../../src-shared/contracts/energy/counter';
import { PACKAGE_TRANSACTION_TYPES } from '../../../../src-shared/contracts/home-services/packages';
import { SUBSCRIPTION_TRANSACTION_TYPES } from '../../../../src-shared/contracts/home-services/subscriptions';
import type { JobRunners } from '../../../core/jobs/types';
import type { Registry } from '../../../core/rpc/registry';
import { registerSubscriptions } from '../subscriptions/service';
import { registerPackages } from './service';
// HQ-owned master data: package types and plans (registered on import, as settings are).
import './hq-package-types';
import '../subscriptions/hq-plans';

/** Service package billing and subscription-based service billing (issue 6). */
export function registerPackagesAndSubscriptions(registry: Registry, jobs: JobRunners): void {
  // Package sales and refunds and subscription payments are counter transactions of the cashier's
  // shift: the counter's X/Z reports and collections report name each type from this table, which
  // its contract leaves open for the functions that add types (else they read "package sale").
  Object.assign(TRANSACTION_TYPE_LABELS, PACKAGE_TRANSACTION_TYPES, SUBSCRIPTION_TRANSACTION_TYPES);
  registerPackages(registry, jobs);
  registerSubscriptions(registry, jobs);
}
