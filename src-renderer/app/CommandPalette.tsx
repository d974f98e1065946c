import { useMantineColorScheme } from '@mantine/core';
import { Spotlight, type SpotlightActionGroupData } from '@mantine/spotlight';
import { IconBolt, IconChecklist, IconKeyboard, IconLogout, IconMoonStars, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../api/hooks';
import { KeyboardHint } from '../components/KeyboardHint';
import { functionEntries } from '../modules/registry';
import { SECTION_LABELS, canOpenEntry, type Destination } from './navigation';

export interface CommandPaletteProps {
  destinations: readonly Destination[];
  onShowShortcuts(): void;
}

/** Ctrl+K: every screen the user may open, each function's quick actions, and a few commands. */
export function CommandPalette({ destinations, onShowShortcuts }: CommandPaletteProps) {
  const navigate = useNavigate();
  const session = useSession();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  // Mantine clears the search when the closing animation ends; reopened before that (a quick
  // second Ctrl+K after an action), the palette showed the last search and typing appended to it.
  const [query, setQuery] = useState('');

  const actions = useMemo<SpotlightActionGroupData[]>(() => {
    const screens: SpotlightActionGroupData = {
      group: 'Go to',
      actions: destinations.map((d) => ({
        id: `go:${d.id}`,
        label: d.section === 'energy' || d.section === 'homeServices' ? `${SECTION_LABELS[d.section]} › ${d.label}` : d.label,
        description: d.description,
        leftSection: d.icon,
        rightSection: d.shortcut ? <KeyboardHint keys={d.shortcut} /> : undefined,
        keywords: [d.path, SECTION_LABELS[d.section]],
        onClick: () => void navigate(d.path),
      })),
    };
    const quick: SpotlightActionGroupData = {
      group: 'Quick actions',
      actions: functionEntries
        .filter((entry) => canOpenEntry(session, entry))
        .flatMap((entry) =>
          (entry.quickActions ?? []).map((action) => ({
            id: `quick:${entry.key}:${action.path}`,
            label: action.label,
            description: entry.label,
            leftSection: <IconBolt size={18} stroke={1.6} />,
            rightSection: action.shortcut ? <KeyboardHint keys={action.shortcut} /> : undefined,
            keywords: [entry.label],
            onClick: () => void navigate(action.path),
          })),
        ),
    };
    const commands: SpotlightActionGroupData = {
      group: 'Commands',
      actions: [
        {
          id: 'cmd:approvals-waiting',
          label: 'Approvals waiting for me',
          leftSection: <IconChecklist size={18} stroke={1.6} />,
          onClick: () => void navigate('/approvals?box=waiting'),
        },
        {
          id: 'cmd:theme',
          label: colorScheme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme',
          leftSection: <IconMoonStars size={18} stroke={1.6} />,
          onClick: () => setColorScheme(colorScheme === 'dark' ? 'light' : 'dark'),
        },
        {
          id: 'cmd:shortcuts',
          label: 'Keyboard shortcuts',
          leftSection: <IconKeyboard size={18} stroke={1.6} />,
          rightSection: <KeyboardHint keys="?" />,
          onClick: onShowShortcuts,
        },
        {
          id: 'cmd:logout',
          label: 'Sign out',
          leftSection: <IconLogout size={18} stroke={1.6} />,
          onClick: () => void session.logout(),
        },
      ],
    };
    return [screens, quick, commands].filter((group) => group.actions.length > 0);
  }, [destinations, session, navigate, colorScheme, setColorScheme, onShowShortcuts]);

  return (
    <Spotlight
      actions={actions}
      query={query}
      onQueryChange={setQuery}
      onSpotlightOpen={() => setQuery('')}
      shortcut={['mod + K']}
      // Ctrl+K opens the palette from inside a field too (a search box, a form): it is a chord no
      // field uses, and a clerk should not have to click out of a field first. Mantine ignores
      // hotkeys in inputs by default.
      tagsToIgnore={[]}
      nothingFound="Nothing matches. Try a screen name such as “audit” or “users”."
      highlightQuery
      limit={30}
      scrollable
      maxHeight={420}
      searchProps={{ leftSection: <IconSearch size={18} stroke={1.6} />, placeholder: 'Go to a screen or run an action…' }}
    />
  );
}
