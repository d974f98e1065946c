import { IconAlertTriangle, IconChartHistogram, IconFileSpreadsheet, IconPlayerPlay, IconReportAnalytics } from '@tabler/icons-react';
import { FUNCTIONS, type FunctionKey, type Verb } from '../../src-shared/permissions';
import type { Destination } from '../app/navigation';
import { MODULES } from '../modules/registry';

/**
 * Reports and Analytics in the navbar, the command palette (Ctrl+K) and the `g` shortcuts, for
 * anyone who may view at least one business function.
 */
export function reportingDestinations(can: (fn: FunctionKey, verb: Verb) => boolean): Destination[] {
  if (!FUNCTIONS.some((f) => f.module !== 'kernel' && can(f.key, 'view'))) return [];
  return [
    ...MODULES.filter((m) => FUNCTIONS.some((f) => f.module === m.key && can(f.key, 'view'))).flatMap((m): Destination[] => [
      // The dashboard's quick actions, in the palette too: each opens the module dashboard ready for it.
      {
        id: `continue-${m.key}`,
        label: `Continue my unfinished work · ${m.label}`,
        path: `${m.path}?queue=workflows`,
        section: 'work',
        icon: <IconPlayerPlay size={18} stroke={1.6} />,
        description: 'Route walks left half-done, requests waiting for approval…',
        paletteOnly: true,
      },
      {
        id: `review-${m.key}`,
        label: `Exceptions to review · ${m.label}`,
        path: `${m.path}?queue=exceptions`,
        section: 'work',
        icon: <IconAlertTriangle size={18} stroke={1.6} />,
        description: 'Critical first, then the oldest',
        paletteOnly: true,
      },
      ...(FUNCTIONS.some((f) => f.module === m.key && can(f.key, 'export'))
        ? [
            {
              id: `export-${m.key}`,
              label: `Export an operational report · ${m.label}`,
              path: `${m.path}?export=1`,
              section: 'work' as const,
              icon: <IconFileSpreadsheet size={18} stroke={1.6} />,
              description: 'A report of the dashboard’s period, to Excel or CSV',
              paletteOnly: true,
            },
          ]
        : []),
    ]),
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
