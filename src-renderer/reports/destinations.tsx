import { IconChartHistogram, IconReportAnalytics } from '@tabler/icons-react';
import { FUNCTIONS, type FunctionKey, type Verb } from '../../src-shared/permissions';
import type { Destination } from '../app/navigation';

/**
 * Reports and Analytics in the navbar, the command palette (Ctrl+K) and the `g` shortcuts, for
 * anyone who may view at least one business function.
 */
export function reportingDestinations(can: (fn: FunctionKey, verb: Verb) => boolean): Destination[] {
  if (!FUNCTIONS.some((f) => f.module !== 'kernel' && can(f.key, 'view'))) return [];
  return [
    {
      id: 'reports',
      label: 'Reports',
      path: '/reports',
      section: 'work',
      icon: <IconReportAnalytics size={18} stroke={1.6} />,
      description: 'Daily, weekly and monthly reports of every function: drill down, export to Excel',
      shortcut: 'g o',
    },
    {
      id: 'analytics',
      label: 'Analytics',
      path: '/analytics',
      section: 'work',
      icon: <IconChartHistogram size={18} stroke={1.6} />,
      description: 'Trend, variance against target, exception heatmap, forecast',
      shortcut: 'g n',
    },
  ];
}
