import * as K from '../../src-shared/contracts/kernel';
import type { Registry } from './rpc/registry';
import type { Kernel } from './rpc/kernel';
import { createBranch, insertUser, registerAuth } from './auth/service';
import { registerUserAdmin } from './auth/admin';
import { registerApprovals } from './approvals/service';
import { registerAudit } from './audit/service';
import { registerJobs } from './jobs/service';
import { registerSettings } from './settings/service';
import { registerRoutines } from './routines/service';

/** The kernel's own procedures: auth, users and roles, approvals, audit, jobs, settings. */
export function registerKernel(registry: Registry, kernel: () => Kernel): void {
  registerAuth(registry);
  registerUserAdmin(registry);
  registerApprovals(registry, kernel);
  registerAudit(registry);
  registerJobs(registry, kernel);
  registerSettings(registry);
  registerRoutines(registry, kernel);
  registry.add(K.systemSeedDemo, (ctx, input) => {
    createBranch(ctx, { branchName: input.branchName, timeZone: input.timeZone, demo: true });
    const userIds: Record<string, string> = {};
    for (const u of input.users) {
      userIds[u.username] = insertUser(ctx, { ...u, password: input.password, demoCredential: true }).id;
    }
    return { userIds };
  });
}
