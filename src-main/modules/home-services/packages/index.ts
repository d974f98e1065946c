import type { JobRunners } from '../../../core/jobs/types';
import type { Registry } from '../../../core/rpc/registry';
import { registerSubscriptions } from '../subscriptions/service';
import { registerPackages } from './service';

/** Service package billing and subscription-based service billing (issue 6). */
export function registerPackagesAndSubscriptions(registry: Registry, jobs: JobRunners): void {
  registerPackages(registry, jobs);
  registerSubscriptions(registry, jobs);
}
