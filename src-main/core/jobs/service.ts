import { AppError } from '../../../src-shared/errors';
import * as K from '../../../src-shared/contracts/kernel';
import type { Kernel } from '../rpc/kernel';
import type { Registry } from '../rpc/registry';

export function registerJobs(registry: Registry, kernel: () => Kernel): void {
  const mine = (jobId: string, userId: string, canSeeAll: boolean) => {
    const job = kernel().jobs.get(jobId);
    if (job.createdBy !== userId && !canSeeAll) throw new AppError('FORBIDDEN', 'This job belongs to another user');
    return job;
  };
  registry
    .add(K.jobsGet, (ctx, input) => mine(input.id, ctx.user().userId, ctx.user().permissions.has('jobs:view')))
    .add(K.jobsList, (ctx, input) => kernel().jobs.list(ctx.user().userId, input.activeOnly))
    .add(K.jobsCancel, (ctx, input) => {
      const before = mine(input.id, ctx.user().userId, ctx.user().permissions.has('jobs:admin'));
      kernel().jobs.cancel(input.id);
      ctx.audit({ entity: 'job', entityId: input.id, action: 'cancel requested', before: { state: before.state } });
      return kernel().jobs.get(input.id);
    });
}
