import type { Migration } from '../../src-main/core/db/migrator';
import m0001 from './0001_kernel';
import m0002 from './0002_meter_readings';

/** Every branch migration, in order. Append new ones; never edit or reorder released ones. */
export const branchMigrations: readonly Migration[] = [m0001, m0002];
