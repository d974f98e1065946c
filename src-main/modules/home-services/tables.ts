import type { MasterDataTables } from './master-data/tables';
import type { SchedulingTables } from './scheduling/tables';
import type { DispatchTables } from './dispatch/tables';
import type { VisitTables } from './visits/tables';

/** Every Home & Personal Services field table (migration 0005), for the store's DB type. */
export interface HomeServicesFieldTables extends MasterDataTables, SchedulingTables, DispatchTables, VisitTables {}
