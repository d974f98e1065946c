import { ActionIcon, Button, Group, Menu, Popover, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure, useLocalStorage } from '@mantine/hooks';
import { IconBookmark, IconBookmarkPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

export interface SavedFilter {
  name: string;
  /** The search string the filter stands for, without the leading '?'. */
  query: string;
}

/**
 * Named filter sets kept in this desktop's localStorage. They are the user's own shortcuts (not
 * shared branch data), so they need no server round trip, and a saved filter is just a URL.
 */
export function SavedFilters({ storageKey, basePath, query }: { storageKey: string; basePath: string; query: string }) {
  const [saved, setSaved] = useLocalStorage<SavedFilter[]>({ key: storageKey, defaultValue: [] });
  const [namingOpen, namingHandlers] = useDisclosure(false);
  const [name, setName] = useState('');
  const navigate = useNavigate();

  const save = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    // Saving under an existing name replaces it: names are how the user tells them apart.
    setSaved((current) => [...current.filter((f) => f.name !== trimmed), { name: trimmed, query }]);
    setName('');
    namingHandlers.close();
  };

  return (
    <Group gap={4} wrap="nowrap">
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" leftSection={<IconBookmark size={16} />} aria-label="Saved filters">
            Saved filters
          </Button>
        </Menu.Target>
        <Menu.Dropdown miw={240}>
          {saved.length === 0 && (
            <Text size="sm" c="dimmed" p="xs">
              No saved filters yet. Set filters, then save them with the bookmark button.
            </Text>
          )}
          {saved.map((filter) => (
            <Menu.Item
              key={filter.name}
              onClick={() => navigate(filter.query ? `${basePath}?${filter.query}` : basePath)}
              rightSection={
                <ActionIcon
                  component="span"
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={`Delete saved filter ${filter.name}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    setSaved((current) => current.filter((f) => f.name !== filter.name));
                  }}
                >
                  <IconTrash size={14} />
                </ActionIcon>
              }
            >
              {filter.name}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Popover opened={namingOpen} onChange={(opened) => (opened ? namingHandlers.open() : namingHandlers.close())} position="bottom-end" trapFocus withinPortal>
        <Popover.Target>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label="Save current filters"
            title="Save current filters"
            disabled={!query}
            onClick={namingHandlers.toggle}
          >
            <IconBookmarkPlus size={18} />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown>
          <form onSubmit={save}>
            <Stack gap="xs">
              <TextInput
                label="Name of this filter"
                placeholder="e.g. Route A high reads"
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
                data-autofocus
              />
              <Button type="submit" size="xs" disabled={!name.trim()}>
                Save filter
              </Button>
            </Stack>
          </form>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
