import { Anchor, Button, Grid, Group, Paper, SimpleGrid, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { IconArrowLeft, IconCalendarTime, IconCheck, IconUserX, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { confirm, get, type Appointment } from '../../../../../src-shared/contracts/home-services/scheduling';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { ApprovalBanner, AuditTrail, DataTable, DateText, ErrorAlert, Field, MoneyText, PageHeader, StatusBadge } from '../../../../components';
import { FlowTimeline } from '../../field/FlowTimeline';
import { CHANNEL_LABELS, SCHEDULING_PATH, STATUS_LABELS, appointmentPath, jobPath, visitPath } from '../../field/labels';
import { clock, dayAndTime, useBranchZone, useNow } from '../../field/time';
import { JobStateBadge, PriorityBadge } from '../../field/ui';
import { CancelDialog, NoShowDialog, RescheduleDialog } from '../components/AppointmentDialogs';
import { SchedulingTabs } from '../components/SchedulingTabs';
import { appointmentColumns } from '../components/appointmentColumns';
import type { JobState } from '../../../../../src-shared/contracts/home-services/dispatch';

const TABS = ['details', 'series', 'timeline', 'audit'] as const;
type Tab = (typeof TABS)[number];
const ACTIVE = ['requested', 'confirmed', 'rescheduled'];

/** One appointment: its state with only the actions that state allows, its series, its story and its journal. */
export function AppointmentDetailPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const timeZone = useBranchZone();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t === params.get('tab')) ?? 'details';
  const detail = useRpcQuery(get, { id }, { enabled: id !== '' });
  const confirming = useRpcMutation(confirm, { invalidate: ['homeServices.'] });
  const [dialog, setDialog] = useState<'reschedule' | 'cancel' | 'noShow' | null>(null);
  const now = useNow();

  if (detail.isPending) return <Skeleton h={300} />;
  if (detail.isError) return <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const { appointment: a, series } = detail.data;
  const active = ACTIVE.includes(a.status);
  const mayEdit = can('homeServices.scheduling', 'edit');
  const onSite = a.jobState === 'on_site' || a.jobState === 'completed';
  const started = Date.parse(a.startsAt) <= now;

  return (
    <Stack gap={0}>
      <Anchor component={Link} to={SCHEDULING_PATH} size="sm" mb="xs" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Appointments
        </Group>
      </Anchor>
      <PageHeader
        title={`${a.number} · ${a.customerName}`}
        subtitle={`${a.serviceName} · ${dayAndTime(a.startsAt, timeZone)}–${clock(a.endsAt, timeZone)}${a.technicianName ? ` · ${a.technicianName}` : ' · not assigned yet'}`}
        badge={<StatusBadge status={a.status === 'no_show' ? 'exception' : a.status === 'requested' ? 'pending' : a.status} label={STATUS_LABELS[a.status]} size="md" />}
        actions={
          mayEdit && active ? (
            <>
              {a.status === 'requested' ? (
                <Button
                  color="green"
                  variant="light"
                  leftSection={<IconCheck size={16} />}
                  loading={confirming.isPending}
                  onClick={() => confirming.mutate({ input: { id: a.id, version: a.version } })}
                >
                  Customer confirmed
                </Button>
              ) : null}
              {!onSite ? (
                <Button variant="light" leftSection={<IconCalendarTime size={16} />} onClick={() => setDialog('reschedule')}>
                  Reschedule
                </Button>
              ) : null}
              {started && !onSite ? (
                <Button color="orange" variant="light" leftSection={<IconUserX size={16} />} onClick={() => setDialog('noShow')}>
                  No-show
                </Button>
              ) : null}
              {!onSite ? (
                <Button color="red" variant="light" leftSection={<IconX size={16} />} onClick={() => setDialog('cancel')}>
                  Cancel
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      <SchedulingTabs />
      <ApprovalBanner entity="hsAppointment" entityId={a.id} />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'details' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          {a.seriesId ? <Tabs.Tab value="series">Series ({series.length})</Tabs.Tab> : null}
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <Details appointment={a} />
        </Tabs.Panel>
        <Tabs.Panel value="series">
          <DataTable
            label="Occurrences"
            rows={series}
            rowKey="id"
            columns={(() => {
              const c = appointmentColumns(timeZone);
              return [c.number!, c.when!, c.technician!, c.status!, c.job!];
            })()}
            onOpen={(o) => navigate(appointmentPath(o.id))}
          />
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <FlowTimeline
            records={[
              { entity: 'hsAppointment', entityId: a.id },
              { entity: 'hsJob', entityId: a.jobId },
              { entity: 'hsVisit', entityId: a.visitId },
            ]}
          />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity="hsAppointment" entityId={a.id} />
        </Tabs.Panel>
      </Tabs>
      {dialog === 'reschedule' ? <RescheduleDialog appointment={a} opened onClose={() => setDialog(null)} /> : null}
      {dialog === 'cancel' ? <CancelDialog appointment={a} opened onClose={() => setDialog(null)} /> : null}
      {dialog === 'noShow' ? <NoShowDialog appointment={a} opened onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}

function Details({ appointment: a }: { appointment: Appointment }) {
  const { can } = useSession();
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" verticalSpacing="sm">
            <Field label="Customer">
              {a.customerName} ({a.customerNo})
            </Field>
            <Field label="Address">{a.customerAddress}</Field>
            <Field label="Phone">{a.customerPhone ?? '—'}</Field>
            <Field label="Service">
              {a.serviceName} <Text span ff="monospace" size="xs">{a.serviceSku}</Text>
            </Field>
            <Field label="Duration">{a.durationMinutes} min</Field>
            <Field label="Price">
              <MoneyText value={a.priceMinor} />
            </Field>
            <Field label="Channel">{CHANNEL_LABELS[a.channel]}</Field>
            <Field label="Priority">
              <PriorityBadge priority={a.priority} />
            </Field>
            <Field label="Zone">{a.zoneCode ?? '—'}</Field>
            <Field label="Booked">
              <DateText value={a.createdAt} /> by {a.bookedByName}
            </Field>
            <Field label="Rescheduled">{a.rescheduleCount === 0 ? 'Never' : `${a.rescheduleCount}×`}</Field>
            <Field label="Series">{a.seriesIndex ? `Occurrence ${a.seriesIndex}${a.detached ? ' (moved on its own)' : ''}` : '—'}</Field>
          </SimpleGrid>
          {a.notes ? (
            <Text size="sm" mt="md">
              Notes: {a.notes}
            </Text>
          ) : null}
          {a.closedAt ? (
            <Text size="sm" mt="md" c={a.status === 'completed' ? undefined : 'red'}>
              {STATUS_LABELS[a.status]} <DateText value={a.closedAt} />
              {a.closedByName ? ` by ${a.closedByName}` : ''}
              {a.cancelReason ? ` — ${a.cancelReason}` : ''}
              {a.lateCancel ? ' (late: inside the notice window)' : ''}
            </Text>
          ) : null}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Field label="Dispatch job">
              <Group gap="xs">
                <JobStateBadge state={a.jobState as JobState} />
                {can('homeServices.dispatch', 'view') ? (
                  <Anchor component={Link} to={jobPath(a.jobId)} size="sm">
                    Open the job
                  </Anchor>
                ) : null}
              </Group>
            </Field>
            <Field label="Technician">{a.technicianName ?? 'Waiting in the dispatcher’s tray'}</Field>
            <Field label="Visit">
              {a.visitId && can('homeServices.visits', 'view') ? (
                <Anchor component={Link} to={visitPath(a.visitId)} size="sm">
                  {a.visitStatus === 'missed' ? 'Missed — open the exception' : 'Open the visit'}
                </Anchor>
              ) : (
                'Not started'
              )}
            </Field>
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
