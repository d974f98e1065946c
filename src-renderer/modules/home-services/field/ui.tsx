import { Badge, Button, Group, Modal, Stack, Tabs, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { Priority } from '../../../../src-shared/contracts/home-services/common';
import type { JobState, SlaStatus } from '../../../../src-shared/contracts/home-services/dispatch';
import type { GeofenceLevel } from '../../../../src-shared/contracts/home-services/visits';
import type { FunctionKey, Verb } from '../../../../src-shared/permissions';
import { useSession } from '../../../api/hooks';
import { ErrorAlert } from '../../../components';
import {
  GEOFENCE_COLORS,
  GEOFENCE_LABELS,
  JOB_STATE_COLORS,
  JOB_STATE_LABELS,
  PRIORITY_COLORS,
  PRIORITY_LABELS,
  SLA_COLORS,
  SLA_LABELS,
} from './labels';

/* Small pieces the scheduling, dispatch and visit screens share. */

export const PriorityBadge = ({ priority }: { priority: Priority }) => (
  <Badge color={PRIORITY_COLORS[priority]} variant={priority === 'urgent' ? 'filled' : 'light'} size="sm" radius="sm">
    {PRIORITY_LABELS[priority]}
  </Badge>
);

export const JobStateBadge = ({ state }: { state: JobState }) => (
  <Badge color={JOB_STATE_COLORS[state]} variant="light" size="sm" radius="sm">
    {JOB_STATE_LABELS[state]}
  </Badge>
);

export const SlaBadge = ({ status, due }: { status: SlaStatus; due?: string }) => (
  <Tooltip label={due ? `SLA deadline ${due}` : 'SLA'} disabled={!due} withArrow>
    <Badge color={SLA_COLORS[status]} variant={status === 'breached' ? 'filled' : 'light'} size="sm" radius="sm">
      SLA {SLA_LABELS[status].toLowerCase()}
    </Badge>
  </Tooltip>
);

export const GeofenceBadge = ({ level, size = 'sm' }: { level: GeofenceLevel; size?: 'sm' | 'md' }) => (
  <Badge color={GEOFENCE_COLORS[level]} variant="light" size={size} radius="sm">
    {GEOFENCE_LABELS[level]}
  </Badge>
);

export interface ActionDialogProps {
  opened: boolean;
  title: string;
  onClose(): void;
  onSubmit(): void;
  submitLabel: string;
  busy: boolean;
  error?: unknown;
  children: ReactNode;
  danger?: boolean;
  size?: string;
}

/** A modal form: Enter submits; what the server refuses shows above the buttons, with what was typed kept. */
export function ActionDialog({ opened, title, onClose, onSubmit, submitLabel, busy, error, children, danger, size = 'lg' }: ActionDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Stack>
          {children}
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} color={danger ? 'red' : undefined} data-autofocus>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export interface Screen {
  path: string;
  label: string;
  icon: ReactNode;
  fn: FunctionKey;
  verb: Verb;
  /** Other paths that belong to this tab (a record's detail belongs to its list). */
  also?: string[];
}

/** A function's screens one click apart; screens the role cannot use are not offered. */
export function FunctionTabs({ screens }: { screens: Screen[] }) {
  const { can } = useSession();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const allowed = screens.filter((s) => can(s.fn, s.verb));
  const matches = (s: Screen) => [s.path, ...(s.also ?? [])].some((p) => pathname === p || pathname.startsWith(`${p}/`));
  // The most specific match wins (the list's path is a prefix of everything).
  const active = [...allowed].sort((a, b) => b.path.length - a.path.length).find(matches)?.path ?? allowed[0]?.path ?? null;
  return (
    <Tabs value={active} onChange={(value) => value && navigate(value)} mb="md">
      <Tabs.List>
        {allowed.map((screen) => (
          <Tabs.Tab key={screen.path} value={screen.path} leftSection={screen.icon}>
            {screen.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
