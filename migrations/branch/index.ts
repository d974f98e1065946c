import type { Migration } from '../../src-main/core/db/migrator';
import m0001 from './0001_kernel';
import m0002 from './0002_meter_readings';
import m0003 from './0003_billing_counter_prepaid';
import m0004 from './0004_installations_maintenance';
import m0005 from './0005_home_services_field';
import m0006 from './0006_packages_subscriptions';
import m0007 from './0007_reporting';
import m0008 from './0008_sync';
import m0009 from './0009_routines';
import m0010 from './0010_auth_epoch';
import m0011 from './0011_bill_list_order';
import m0012 from './0012_lean_journal';
import m0013 from './0013_one_meter_index';
import m0014 from './0014_route_progress_by_meter';
import m0015 from './0015_settings_epoch';

/** Every branch migration, in order. Append new ones; never edit or reorder released ones. */
export const branchMigrations: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0015];
