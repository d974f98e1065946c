import { Tabs } from '@mantine/core';
import { IconCash, IconChartBar, IconPackage, IconReceipt, IconTicket } from '@tabler/icons-react';
import { useLocation, useNavigate } from 'react-router';
import { PKG_BASE } from './shared';

const SCREENS = [
  { path: PKG_BASE, label: 'Packages held', icon: <IconTicket size={16} /> },
  { path: `${PKG_BASE}/counter`, label: 'Sell', icon: <IconCash size={16} /> },
  { path: `${PKG_BASE}/redemptions`, label: 'Redemptions', icon: <IconReceipt size={16} /> },
  { path: `${PKG_BASE}/types`, label: 'Package types', icon: <IconPackage size={16} /> },
  { path: `${PKG_BASE}/reports`, label: 'Reports', icon: <IconChartBar size={16} /> },
];

/** The function's screens one click apart; a record's detail belongs to its list's tab. */
export function FunctionTabs() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active =
    [...SCREENS].reverse().find((s) => (s.path === PKG_BASE ? pathname === PKG_BASE || pathname.startsWith(`${PKG_BASE}/holdings`) || pathname.startsWith(`${PKG_BASE}/customers`) : pathname.startsWith(s.path)))
      ?.path ?? PKG_BASE;
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
