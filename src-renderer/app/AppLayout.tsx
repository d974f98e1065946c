import { ActionIcon, AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { IconChecklist, IconSearch } from '@tabler/icons-react';
import { Fragment, useMemo } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { approvalsList } from '../../src-shared/contracts/kernel';
import { useRpcQuery, useSession } from '../api/hooks';
import { KeyboardHint } from '../components/KeyboardHint';
import { functionEntries } from '../modules/registry';
import { ChangePasswordModal } from './ChangePasswordModal';
import { CommandPalette } from './CommandPalette';
import { JobsIndicator } from './JobsIndicator';
import { SECTION_LABELS, canOpenEntry, useDestinations, type Destination } from './navigation';
import { ShortcutsHelp, useKeySequences, type KeySequence, type ShortcutLine } from './shortcuts';
import { UserMenu } from './UserMenu';

const SECTION_ORDER: Destination['section'][] = ['energy', 'homeServices', 'work', 'admin'];

/** Approvals waiting for *me*: the one number a supervisor checks all day, so it is always in view. */
function useWaitingApprovals(): number {
  const waiting = useRpcQuery(approvalsList, { box: 'waiting' }, { refetchInterval: 30_000 });
  return waiting.data?.filter((a) => a.status === 'pending' && a.canDecide).length ?? 0;
}

/** "Overview" alone is ambiguous in the help; say whose overview. */
const shortcutLabel = (d: Destination): string =>
  d.section === 'energy' || d.section === 'homeServices' ? `${SECTION_LABELS[d.section]} overview` : d.label;

function isActive(pathname: string, path: string): boolean {
  return pathname === path || pathname.startsWith(`${path}/`);
}

export function AppLayout() {
  const { system } = useSession();
  const session = useSession();
  const destinations = useDestinations();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [navOpened, nav] = useDisclosure(false);
  const [helpOpened, help] = useDisclosure(false);
  const [passwordOpened, password] = useDisclosure(false);
  const waiting = useWaitingApprovals();

  const quickActions = useMemo(
    () => functionEntries.filter((e) => canOpenEntry(session, e)).flatMap((e) => e.quickActions ?? []),
    [session],
  );
  const sequences = useMemo<KeySequence[]>(() => {
    const list: KeySequence[] = destinations
      .filter((d) => d.shortcut)
      .map((d) => ({ sequence: d.shortcut!, label: shortcutLabel(d), run: () => void navigate(d.path) }));
    for (const action of quickActions) {
      // A function's own sequence never overrides a shell one: the help must stay truthful.
      if (action.shortcut?.includes(' ') && !list.some((s) => s.sequence === action.shortcut)) {
        list.push({ sequence: action.shortcut, label: action.label, run: () => void navigate(action.path) });
      }
    }
    return list;
  }, [destinations, quickActions, navigate]);
  useKeySequences(sequences, help.open);
  // Chords such as `mod+shift+N` from function entries go through Mantine's hotkeys.
  useHotkeys(
    quickActions
      .filter((a) => a.shortcut && !a.shortcut.includes(' '))
      .map((a) => [a.shortcut!, () => void navigate(a.path)] as [string, () => void]),
  );

  const goToLines: ShortcutLine[] = sequences.map((s) => ({ keys: s.sequence, label: s.label }));

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <UnstyledButton component={Link} to="/" aria-label="Start page">
              <Text fw={700} size="md">
                Plug1
              </Text>
            </UnstyledButton>
            <Text size="sm" c="dimmed" truncate visibleFrom="xs">
              {system.branchName}
            </Text>
            {system.demo ? (
              <Tooltip label="Demo store: sample data, demo passwords accepted. Do not enter real customers.">
                <Badge color="orange" variant="light">
                  Demo
                </Badge>
              </Tooltip>
            ) : null}
          </Group>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconSearch size={14} />}
            rightSection={<KeyboardHint keys={['mod', 'K']} />}
            onClick={() => spotlight.open()}
            w={300}
            justify="space-between"
            visibleFrom="md"
            styles={{ label: { color: 'var(--mantine-color-dimmed)', fontWeight: 400 } }}
          >
            Go to or do…
          </Button>
          <Group gap={4} wrap="nowrap">
            <Tooltip label={waiting > 0 ? `${waiting} approval(s) waiting for you` : 'No approvals waiting for you'}>
              {waiting > 0 ? (
                <Button component={Link} to="/approvals?box=waiting" variant="light" color="yellow" size="xs" leftSection={<IconChecklist size={16} />}>
                  {waiting} to approve
                </Button>
              ) : (
                <ActionIcon component={Link} to="/approvals?box=waiting" variant="subtle" color="gray" size="lg" aria-label="Approvals: none waiting for you">
                  <IconChecklist size={20} stroke={1.6} />
                </ActionIcon>
              )}
            </Tooltip>
            <JobsIndicator />
            <UserMenu onChangePassword={password.open} onShowShortcuts={help.open} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label="Main">
            {SECTION_ORDER.map((section) => {
              const items = destinations.filter((d) => d.section === section && !d.paletteOnly);
              if (items.length === 0) return null;
              return (
                <Fragment key={section}>
                  <div className="plug1-nav-section">{SECTION_LABELS[section]}</div>
                  {items.map((d) => (
                    <NavLink
                      key={d.id}
                      component={Link}
                      to={d.path}
                      label={d.label}
                      leftSection={d.icon}
                      active={d.path === '/energy' || d.path === '/home-services' ? pathname === d.path : isActive(pathname, d.path)}
                      onClick={nav.close}
                      rightSection={
                        d.id === 'approvals' && waiting > 0 ? (
                          <Badge size="xs" color="yellow" variant="filled" circle>
                            {waiting}
                          </Badge>
                        ) : undefined
                      }
                      py={6}
                    />
                  ))}
                </Fragment>
              );
            })}
          </nav>
        </AppShell.Section>
        <AppShell.Section pt="xs">
          <UnstyledButton onClick={help.open} w="100%" px="sm" py={4}>
            <KeyboardHint keys="?" label="Keyboard shortcuts" />
          </UnstyledButton>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>

      <CommandPalette destinations={destinations} onShowShortcuts={help.open} />
      <ShortcutsHelp opened={helpOpened} onClose={help.close} goTo={goToLines} />
      <ChangePasswordModal opened={passwordOpened} onClose={password.close} />
    </AppShell>
  );
}
