import { Tabs } from '@mantine/core';
import { IconChartBar, IconClipboardCheck, IconFileImport, IconGauge, IconList, IconWalk } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useSession } from '../../../../api/hooks';
import type { Verb } from '../../../../../src-shared/permissions';
import { FUNCTION_PATH } from '../labels';

interface Screen {
  path: string;
  label: string;
  icon: ReactNode;
  verb: Verb;
}

/** The function's screens, in the order of a reading cycle: enter, review, import, look back. */
const SCREENS: Screen[] = [
  { path: FUNCTION_PATH, label: 'Readings', icon: <IconList size={16} />, verb: 'view' },
  { path: `${FUNCTION_PATH}/entry`, label: 'Route entry', icon: <IconWalk size={16} />, verb: 'create' },
  { path: `${FUNCTION_PATH}/review`, label: 'Review queue', icon: <IconClipboardCheck size={16} />, verb: 'edit' },
  { path: `${FUNCTION_PATH}/import`, label: 'Import', icon: <IconFileImport size={16} />, verb: 'create' },
  { path: `${FUNCTION_PATH}/report`, label: 'Report', icon: <IconChartBar size={16} />, verb: 'view' },
  { path: `${FUNCTION_PATH}/meters`, label: 'Accounts and meters', icon: <IconGauge size={16} />, verb: 'view' },
];

/**
 * Tabs across the top of every meter reading screen, so the function's screens are one click
 * apart and a user who knows one function's tabs knows all of them. Screens the role cannot use
 * are not offered.
 */
export function FunctionTabs() {
  const { can } = useSession();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const screens = SCREENS.filter((screen) => can('energy.meterReadings', screen.verb));
  // A reading's detail page belongs to the list tab.
  const active = screens.find((screen) => screen.path !== FUNCTION_PATH && pathname.startsWith(screen.path))?.path ?? FUNCTION_PATH;

  return (
    <Tabs value={active} onChange={(value) => value && navigate(value)} mb="md" variant="default">
      <Tabs.List>
        {screens.map((screen) => (
          <Tabs.Tab key={screen.path} value={screen.path} leftSection={screen.icon}>
            {screen.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
