import { AppError } from '../../../../src-shared/errors';
import type { Asset, Downtime, Part, Schedule, WorkOrder } from '../../../../src-shared/contracts/energy/maintenance';
import type { RpcResult } from '../../../../src-shared/rpc';
import { dispatch } from '../../../core/rpc/pipeline';
import type { Principal } from '../../../core/rpc/context';
import type { Kernel } from '../../../core/rpc/kernel';
import { localDateOf } from '../../../reporting/periods';
import { addDays } from './rules';

/**
 * Demo equipment: four sites with transformers, pumps, vehicles, a tester and meters in stock; a
 * year of downtime with failures (so MTBF/MTTR have something to say), usage readings for the
 * pumps and vehicles, preventive schedules the planner generates work orders from (one of them
 * already overdue), corrective work in progress on a pump that is down, closed work with labour
 * and parts, a costly repair whose closing waits for the supervisor, and parts below minimum.
 */
export function seedMaintenanceDemo(kernel: Kernel, as: (username: string) => Principal): void {
  const run = <T>(username: string, procedure: string, input: unknown): T => {
    const result = dispatch(kernel, procedure, input, { principal: as(username) });
    if (!result.ok) throw new AppError(result.error.code, `Demo seeding: ${procedure} failed: ${result.error.message}`, result.error.details);
    return result.result as T;
  };
  const attempt = (username: string, procedure: string, input: unknown): RpcResult<unknown> => dispatch(kernel, procedure, input, { principal: as(username) });

  const now = kernel.clock();
  const today = localDateOf(now, kernel.branch().timeZone);
  const daysAgo = (d: number, hour = 8) => new Date(Date.parse(`${addDays(today, -d)}T${String(hour).padStart(2, '0')}:00:00Z`)).toISOString();

  const site = (code: string, name: string) => run<{ id: string }>('planner', 'energy.maintenance.sites.create', { code, name }).id;
  const north = site('SUB-N', 'North substation');
  const pumps = site('PS-1', 'River pump station');
  const depot = site('DEPOT', 'Vehicle depot');
  const store = site('STORE', 'Meter store');

  const asset = (fields: Record<string, unknown>) => run<Asset>('planner', 'energy.maintenance.assets.create', fields);
  const tx1 = asset({ code: 'TX-N1', name: '11/0.4 kV transformer 500 kVA', assetClass: 'transformer', siteId: north, serial: 'ABB-77120', inServiceOn: '2019-05-01' });
  const tx2 = asset({ code: 'TX-N2', name: '11/0.4 kV transformer 315 kVA', assetClass: 'transformer', siteId: north, serial: 'ABB-80213', inServiceOn: '2021-02-15' });
  asset({ code: 'TX-N1-FAN', name: 'Cooling fan bank', assetClass: 'tool', siteId: north, parentId: tx1.id, inServiceOn: '2019-05-01' });
  const pump1 = asset({ code: 'PUMP-1', name: 'Raw water pump 1 (duty)', assetClass: 'pump', siteId: pumps, serial: 'KSB-1190', inServiceOn: '2022-01-10', usageUnit: 'h' });
  const pump2 = asset({ code: 'PUMP-2', name: 'Raw water pump 2 (standby)', assetClass: 'pump', siteId: pumps, serial: 'KSB-1191', inServiceOn: '2022-01-10', usageUnit: 'h' });
  const van = asset({ code: 'VAN-01', name: 'Service van (Hilux)', assetClass: 'vehicle', siteId: depot, serial: 'CA 123-456', inServiceOn: '2023-03-01', usageUnit: 'km' });
  asset({ code: 'TRK-01', name: 'Crane truck', assetClass: 'vehicle', siteId: depot, serial: 'CA 654-321', inServiceOn: '2020-08-20', usageUnit: 'km', status: 'standby' });
  asset({ code: 'TOOL-IR1', name: 'Insulation resistance tester', assetClass: 'tool', siteId: depot, serial: 'MEGGER-5', inServiceOn: '2024-04-01' });
  asset({ code: 'MS-A', name: 'Meter stock pallet A (single phase)', assetClass: 'meter_stock', siteId: store, inServiceOn: '2025-01-01' });

  // Usage over the last two months: the pumps run about 20 h a day, the van about 150 km.
  for (const [unit, start, perDay] of [
    [pump1, 4_200, 20],
    [pump2, 1_850, 4],
    [van, 61_000, 150],
  ] as const) {
    for (let d = 60; d >= 0; d -= 10) {
      run('technician', 'energy.maintenance.assets.recordUsage', { id: unit.id, value: start + (60 - d) * perDay, readOn: addDays(today, -d) });
    }
  }

  // A year of stops: failures on pump 1 and transformer 1, planned work and an outage.
  const stop = (assetId: string, reason: string, startDaysAgo: number, hours: number, notes: string) => {
    const started = daysAgo(startDaysAgo);
    const d = run<Downtime>('technician', 'energy.maintenance.downtime.start', { assetId, reason, startedAt: started, notes });
    run('technician', 'energy.maintenance.downtime.end', { id: d.id, version: d.version, endedAt: new Date(Date.parse(started) + hours * 3_600_000).toISOString() });
  };
  stop(pump1.id, 'breakdown', 300, 6, 'Mechanical seal failed');
  stop(pump1.id, 'electrical_fault', 190, 3.5, 'Motor starter contactor burnt');
  stop(pump1.id, 'planned_maintenance', 120, 4, 'Annual overhaul');
  stop(pump1.id, 'breakdown', 45, 9, 'Bearing seized');
  stop(tx1.id, 'electrical_fault', 210, 12, 'Bushing flashover after storm');
  stop(tx2.id, 'power_outage', 80, 5, 'Eskom supply outage');
  stop(van.id, 'accident', 150, 72, 'Rear-ended at traffic light; panel work');

  // Parts, two of them at their minimum.
  const part = (code: string, name: string, unit: string, unitCost: number, minQuantity: number, receive: number) => {
    const p = run<Part>('planner', 'energy.maintenance.parts.create', { code, name, unit, unitCost, minQuantity });
    return receive > 0 ? run<Part>('planner', 'energy.maintenance.parts.receive', { id: p.id, quantity: receive, reference: 'GRN-2025-118' }) : p;
  };
  const seal = part('SEAL-M45', 'Mechanical seal 45 mm', 'each', 185_000, 2, 4);
  const bearing = part('BRG-6310', 'Bearing 6310-2RS', 'each', 42_000, 4, 10);
  const oil = part('OIL-TX', 'Transformer oil', 'l', 3_800, 200, 420);
  part('FUSE-100', 'HRC fuse 100 A', 'each', 9_500, 10, 8);
  part('FILTER-OIL', 'Engine oil filter (Hilux)', 'each', 16_500, 3, 3);

  // Preventive schedules; the planner generates what falls due in the next two weeks.
  run<Schedule>('planner', 'energy.maintenance.schedules.create', {
    assetId: tx1.id,
    title: 'Quarterly oil test and visual inspection',
    kind: 'calendar',
    intervalDays: 91,
    startOn: addDays(today, -5),
    estimatedHours: 3,
    priority: 'high',
  });
  run<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: tx2.id, title: 'Quarterly oil test and visual inspection', kind: 'calendar', intervalDays: 91, startOn: addDays(today, 40), estimatedHours: 3 });
  run<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: pump1.id, title: '1,000-hour service', kind: 'usage', intervalUsage: 1_000, firstDueUsage: 5_500, estimatedHours: 4 });
  run<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: pump2.id, title: 'Weekly standby run test', kind: 'calendar', intervalDays: 7, startOn: addDays(today, 2), estimatedHours: 0.5, priority: 'low' });
  run<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: van.id, title: '15,000 km service', kind: 'usage', intervalUsage: 15_000, firstDueUsage: 75_000, estimatedHours: 2 });
  const generated = run<{ created: WorkOrder[] }>('planner', 'energy.maintenance.generatePm', {}).created;

  const technician = run<{ id: string; username: string }[]>('admin', 'admin.users.list', {}).find((u) => u.username === 'technician')!.id;
  const assign = (wo: WorkOrder) => run<WorkOrder>('planner', 'energy.maintenance.workOrders.update', { id: wo.id, version: wo.version, assignedTo: technician });

  // The weekly run test is done; its work order is closed.
  const weekly = generated.find((w) => w.assetId === pump2.id);
  if (weekly) {
    let wo = assign(weekly);
    wo = run('technician', 'energy.maintenance.workOrders.start', { id: wo.id, version: wo.version });
    wo = run('technician', 'energy.maintenance.workOrders.logLabour', { id: wo.id, hours: 0.5, workedOn: today });
    wo = run('technician', 'energy.maintenance.workOrders.complete', { id: wo.id, version: wo.version, completionNotes: 'Ran 30 min on load, no vibration' });
    run('planner', 'energy.maintenance.workOrders.close', { id: wo.id, version: wo.version });
  }
  for (const wo of generated.filter((w) => w.assetId !== pump2.id)) assign(wo);

  // Pump 1 failed again this morning: down, with its corrective work order in progress.
  const failure = run<Downtime>('technician', 'energy.maintenance.downtime.start', {
    assetId: pump1.id,
    reason: 'breakdown',
    startedAt: new Date(now.getTime() - 5 * 3_600_000).toISOString(),
    notes: 'Seal leaking, pump tripped on low pressure',
    raiseWorkOrder: true,
    priority: 'urgent',
  });
  let repair = run<{ workOrder: WorkOrder }>('technician', 'energy.maintenance.workOrders.get', { id: failure.workOrderId }).workOrder;
  repair = assign(repair);
  repair = run('technician', 'energy.maintenance.workOrders.start', { id: repair.id, version: repair.version });
  run('technician', 'energy.maintenance.workOrders.issuePart', { id: repair.id, partId: seal.id, quantity: 1 });
  run('technician', 'energy.maintenance.workOrders.logLabour', { id: repair.id, hours: 2, workedOn: today, note: 'Stripped the pump end' });

  // The transformer bushing job: done, but above the cost threshold, so closing waits for the supervisor.
  let bushing = run<WorkOrder>('planner', 'energy.maintenance.workOrders.create', {
    assetId: tx1.id,
    type: 'corrective',
    title: 'Replace LV bushing and top up oil',
    priority: 'high',
    dueOn: today,
    assignedTo: technician,
  });
  bushing = run('technician', 'energy.maintenance.workOrders.start', { id: bushing.id, version: bushing.version });
  run('technician', 'energy.maintenance.workOrders.issuePart', { id: bushing.id, partId: oil.id, quantity: 120 });
  run('technician', 'energy.maintenance.workOrders.issuePart', { id: bushing.id, partId: bearing.id, quantity: 2 });
  bushing = run('technician', 'energy.maintenance.workOrders.logLabour', { id: bushing.id, hours: 6, workedOn: today });
  bushing = run('technician', 'energy.maintenance.workOrders.complete', { id: bushing.id, version: bushing.version, completionNotes: 'Bushing replaced, oil topped up, tested 2.5 GΩ' });
  const closing = attempt('planner', 'energy.maintenance.workOrders.close', { id: bushing.id, version: bushing.version, note: 'Cost includes 120 l of oil' });
  if (closing.ok) throw new Error('Demo seeding: expected the costly work order to need approval');

  // A fresh corrective job nobody has started.
  run('planner', 'energy.maintenance.workOrders.create', { assetId: tx2.id, title: 'Silica gel breather discoloured', priority: 'low', dueOn: addDays(today, 7) });
}
