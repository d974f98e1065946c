import { Avatar, Group, Menu, SegmentedControl, Stack, Text, UnstyledButton, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { IconChevronDown, IconKeyboard, IconKey, IconLogout } from '@tabler/icons-react';
import { useSession } from '../api/hooks';

const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');

export function UserMenu({ onChangePassword, onShowShortcuts }: { onChangePassword(): void; onShowShortcuts(): void }) {
  const { user, logout } = useSession();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Signed in as ${user.displayName}: open the user menu`} px={6} py={4} style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
          <Group gap={8} wrap="nowrap">
            <Avatar size={28} radius="xl" color="slateBlue">
              {initials(user.displayName)}
            </Avatar>
            <Stack gap={0} visibleFrom="sm">
              <Text size="sm" fw={500} lh={1.2}>
                {user.displayName}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {user.roleName}
              </Text>
            </Stack>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.username} · {user.roleName}
        </Menu.Label>
        <Stack gap={4} px="xs" py={6}>
          <Text size="xs" c="dimmed">
            Theme
          </Text>
          <SegmentedControl
            size="xs"
            fullWidth
            value={colorScheme}
            onChange={(value) => setColorScheme(value as MantineColorScheme)}
            data={[
              { value: 'light', label: 'Light' },
              { value: 'dark', label: 'Dark' },
              { value: 'auto', label: 'Auto' },
            ]}
          />
        </Stack>
        <Menu.Divider />
        <Menu.Item leftSection={<IconKey size={16} />} onClick={onChangePassword}>
          Change password
        </Menu.Item>
        <Menu.Item leftSection={<IconKeyboard size={16} />} onClick={onShowShortcuts} rightSection={<Text size="xs" c="dimmed">?</Text>}>
          Keyboard shortcuts
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={() => void logout()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
