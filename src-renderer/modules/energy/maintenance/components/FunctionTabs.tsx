import { Tabs } from '@mantine/core';
import { IconBox, IconCalendarRepeat, IconChartBar, IconGauge, IconListCheck, IconTool } from '@tabler/icons-react';
import { useLocation, useNavigate } from 'react-router';
import { ASSETS, BASE, PARTS, WORK_ORDERS } from '../labels';

const SCREENS = [
  { path: BASE, label: 'Overview', icon: <IconGauge size={16} /> },
  { path: WORK_ORDERS, label: 'Work orders', icon: <IconListCheck size={16} /> },
  { path: ASSETS, label: 'Assets', icon: <IconTool size={16} /> },
  { path: `${BASE}/schedules`, label: 'Preventive schedules', icon: <IconCalendarRepeat size={16} /> },
  { path: PARTS, label: 'Parts', icon: <IconBox size={16} /> },
  { path: `${BASE}/report`, label: 'Report', icon: <IconChartBar size={16} /> },
];

/** The function's screens one click apart; a record's detail and form belong to its list's tab. */
export function FunctionTabs() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = [...SCREENS].reverse().find((s) => (s.path === BASE ? pathname === BASE : pathname.startsWith(s.path)))?.path ?? BASE;
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
