import { AppError } from '../../../../src-shared/errors';
import type { Account } from '../../../../src-shared/contracts/energy/meter-readings';
import type { ServiceOrder } from '../../../../src-shared/contracts/energy/installations';
import type { CallMeta, RpcResult } from '../../../../src-shared/rpc';
import { dispatch } from '../../../core/rpc/pipeline';
import type { Principal } from '../../../core/rpc/context';
import type { Kernel } from '../../../core/rpc/kernel';
import { localDateOf } from '../../../reporting/periods';
import { readChecklist } from './settings';

/**
 * Demo service orders across every stage, each moved by the role that would really move it: the
 * planner takes requests and schedules, the technician surveys, installs and commissions, the
 * supervisor approves. Requests taken earlier by phone make some orders late, some close to their
 * deadline; one waits on the customer, one waits in the supervisor's approvals inbox, and
 * commissioned new connections appear as accounts on route R01 with their first read.
 */
export function seedInstallationsDemo(kernel: Kernel, as: (username: string) => Principal): void {
  const run = <T>(username: string, procedure: string, input: unknown, meta?: CallMeta): T => {
    const result = dispatch(kernel, procedure, input, { principal: as(username), meta });
    if (!result.ok) throw new AppError(result.error.code, `Demo seeding: ${procedure} failed: ${result.error.message}`, result.error.details);
    return result.result as T;
  };
  const attempt = (username: string, procedure: string, input: unknown): RpcResult<unknown> =>
    dispatch(kernel, procedure, input, { principal: as(username) });

  const now = kernel.clock();
  const today = localDateOf(now, kernel.branch().timeZone);
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const ticks = (stage: Parameters<typeof readChecklist>[1]) => readChecklist(kernel.settings, stage).map((i) => i.key);
  const routes = run<{ id: string; code: string }[]>('admin', 'energy.routes.list', {});
  const routeId = routes.find((r) => r.code === 'R01')?.id ?? routes[0]?.id;
  let serial = 0;

  type Step = 'surveyed' | 'approvalAsked' | 'approved' | 'scheduled' | 'installed' | 'commissioned' | 'closed';
  const STEPS: Step[] = ['surveyed', 'approvalAsked', 'approved', 'scheduled', 'installed', 'commissioned', 'closed'];

  function order(request: Record<string, unknown>, until: Step | null, extra: { removalRead?: number; initialRead?: number } = {}): ServiceOrder {
    let o = run<ServiceOrder>('planner', 'energy.installations.create', { type: 'new_connection', priority: 'normal', ...request });
    const reach = until ? STEPS.indexOf(until) : -1;
    let approvalId = '';
    for (const step of STEPS.slice(0, reach + 1)) {
      switch (step) {
        case 'surveyed':
          o = run('technician', 'energy.installations.survey', {
            id: o.id,
            version: o.version,
            surveyResult: 'feasible',
            surveyNotes: o.type === 'disconnection' ? 'Meter accessible, isolator at the pole' : 'Supply from pole 14B, 25 m service run, single phase',
            materials:
              o.type === 'disconnection'
                ? [{ item: 'Seal kit', quantity: 1, unit: 'each' }]
                : [
                    { item: 'Service cable 16 mm²', quantity: 25, unit: 'm' },
                    { item: 'Meter box', quantity: 1, unit: 'each' },
                  ],
            checked: ticks('surveyed'),
          });
          break;
        case 'approvalAsked': {
          const asked = attempt('planner', 'energy.installations.approve', { id: o.id, version: o.version, checked: ticks('approved') });
          if (asked.ok || asked.error.code !== 'APPROVAL_REQUIRED') throw new Error('Demo seeding: service order approval was not gated');
          approvalId = String(asked.error.details?.approvalId);
          break;
        }
        case 'approved': {
          const approval = run<{ version: number }>('supervisor', 'approvals.get', { id: approvalId });
          run('supervisor', 'approvals.decide', { id: approvalId, version: approval.version, decision: 'approve', reason: 'Materials in stock, network has capacity' });
          o = run<{ order: ServiceOrder }>('planner', 'energy.installations.get', { id: o.id }).order;
          break;
        }
        case 'scheduled':
          o = run('planner', 'energy.installations.schedule', { id: o.id, version: o.version, crew: 'Crew A (Sipho, Johan)', scheduledDate: today, checked: ticks('scheduled') });
          break;
        case 'installed': {
          const meterSerial =
            o.type === 'disconnection'
              ? run<{ rows: Account[] }>('admin', 'energy.accounts.list', { search: o.accountNo ?? '' }).rows[0]!.meterSerial!
              : `MTR-9${String((serial += 1)).padStart(5, '0')}`;
          o = run('technician', 'energy.installations.install', { id: o.id, version: o.version, installedOn: today, meterSerial, meterDials: 5, checked: ticks('installed') });
          break;
        }
        case 'commissioned':
          o = run('technician', 'energy.installations.commission', {
            id: o.id,
            version: o.version,
            commissionedOn: today,
            ...(o.type === 'disconnection' ? {} : { initialRead: extra.initialRead ?? 0 }),
            ...(extra.removalRead !== undefined ? { removalRead: extra.removalRead } : {}),
            checked: ticks('commissioned'),
          });
          break;
        case 'closed':
          o = run('technician', 'energy.installations.close', { id: o.id, version: o.version, checked: ticks('closed') });
          break;
      }
    }
    return o;
  }

  const newConnection = (name: string, address: string, receivedHoursAgo: number, priority = 'normal') => ({
    customerName: name,
    address,
    phone: `082${String(5_550_000 + receivedHoursAgo).padStart(7, '0')}`,
    routeId,
    priority,
    receivedAt: hoursAgo(receivedHoursAgo),
  });

  // Requested: one late, one close to its deadline, two on track.
  order({ ...newConnection('Naledi Khumalo', '7 Marula Close', 10, 'urgent'), description: 'Clinic extension needs supply before opening' }, null);
  order(newConnection('Riaan Botha', '31 Hill Street', 20, 'high'), null);
  order(newConnection('Fatima Adams', '88 Station Road', 6), null);
  order({ ...newConnection('Kagiso Moloi', '5 Baobab Crescent', 1, 'low'), description: 'Garden cottage' }, null);

  // Surveyed, one of them waiting on the customer.
  order(newConnection('Zanele Dlamini', '14 Acacia Road', 30), 'surveyed');
  const waiting = order(newConnection('Pieter van der Merwe', '2 Church Street', 26, 'high'), 'surveyed');
  run('technician', 'energy.installations.hold', { id: waiting.id, version: waiting.version, reason: 'Customer must move the carport before the cable can be laid' });
  run('technician', 'energy.installations.addNote', { id: waiting.id, text: 'Customer will call when the carport is moved' });

  // One approval waits in the supervisor's inbox; the rest move on.
  order(newConnection('Lwazi Nkosi', '61 River Street', 22), 'approvalAsked');
  order(newConnection('Ayesha Pillay', '9 Jacaranda Lane', 40), 'approved');
  const scheduled = order(newConnection('Themba Mahlangu', '120 Main Road', 44), 'scheduled');
  run('planner', 'energy.installations.addAttachment', { id: scheduled.id, fileRef: '\\\\fileserver\\installations\\site-plans\\120-main-road.pdf', label: 'Site plan' });
  order(newConnection('Carmen Jacobs', '3 Protea Avenue', 47), 'installed');

  // Commissioned: new accounts on route R01 (one made its deadline late), and one closed.
  order(newConnection('Sipho Ndlovu', '45 Protea Avenue', 30), 'commissioned', { initialRead: 12 });
  order(newConnection('Elsa Smit', '17 Hill Street', 60), 'commissioned', { initialRead: 3 });
  order(newConnection('Musa Zulu', '23 Acacia Road', 20, 'high'), 'closed', { initialRead: 0 });

  // Work on existing accounts of route R02 (read a few days ago): an upgrade and a disconnection.
  const existing = run<{ rows: Account[] }>('admin', 'energy.accounts.list', { routeId: routes.find((r) => r.code === 'R02')?.id, limit: 60 }).rows.filter(
    (a) => a.status === 'active' && a.meterId,
  );
  const upgradeAccount = existing[40];
  const disconnectAccount = existing[50];
  if (upgradeAccount) {
    const meter = run<{ history: { value: number }[]; meter: { dials: number } }>('admin', 'energy.meters.get', { id: upgradeAccount.meterId });
    const removalRead = (meter.history[0]?.value ?? 0) + 40;
    if (removalRead < 10 ** meter.meter.dials) {
      order(
        { type: 'upgrade', customerName: upgradeAccount.name, address: upgradeAccount.address, accountId: upgradeAccount.id, receivedAt: hoursAgo(50), description: 'Three-phase upgrade for a workshop' },
        'commissioned',
        { removalRead, initialRead: 0 },
      );
    }
  }
  if (disconnectAccount) {
    const meter = run<{ history: { value: number }[]; meter: { dials: number } }>('admin', 'energy.meters.get', { id: disconnectAccount.meterId });
    const removalRead = (meter.history[0]?.value ?? 0) + 15;
    if (removalRead < 10 ** meter.meter.dials) {
      order(
        { type: 'disconnection', priority: 'low', customerName: disconnectAccount.name, address: disconnectAccount.address, accountId: disconnectAccount.id, receivedAt: hoursAgo(36), description: 'Customer moving out' },
        'scheduled',
      );
    }
  }

  // A request the customer withdrew.
  const withdrawn = order(newConnection('David Pretorius', '4 Old Town Lane', 12), 'surveyed');
  run('supervisor', 'energy.installations.cancel', { id: withdrawn.id, version: withdrawn.version, reason: 'Customer bought a solar system instead' });
}
