import { Tabs } from '@mantine/core';
import { IconChartBar, IconLayoutKanban, IconList } from '@tabler/icons-react';
import { useLocation, useNavigate } from 'react-router';
import { FUNCTION_PATH } from '../labels';

const SCREENS = [
  { path: FUNCTION_PATH, label: 'Work queues', icon: <IconLayoutKanban size={16} /> },
  { path: `${FUNCTION_PATH}/orders`, label: 'Service orders', icon: <IconList size={16} /> },
  { path: `${FUNCTION_PATH}/report`, label: 'Report', icon: <IconChartBar size={16} /> },
];

/** The function's screens one click apart; an order's detail and form belong to the orders tab. */
export function FunctionTabs() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active =
    pathname === FUNCTION_PATH ? FUNCTION_PATH : pathname.startsWith(`${FUNCTION_PATH}/report`) ? `${FUNCTION_PATH}/report` : `${FUNCTION_PATH}/orders`;
  return (
    <Tabs value={active} onChange={(value) => value && navigate(value)} mb="md">
      <Tabs.List>
        {SCREENS.map((screen) => (
          <Tabs.Tab key={screen.path} value={screen.path} leftSection={screen.icon}>
            {screen.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
