import { Anchor, Button, Grid, Group, Paper, SimpleGrid, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconCar, IconSwitchHorizontal } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { assign, get, startTravel } from '../../../../../src-shared/contracts/home-services/dispatch';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { ApprovalBanner, AuditTrail, DateText, ErrorAlert, Field, PageHeader } from '../../../../components';
import { FlowTimeline } from '../../field/FlowTimeline';
import { DISPATCH_PATH, appointmentPath, visitPath } from '../../field/labels';
import { clock, dayAndTime, useBranchZone } from '../../field/time';
import { JobStateBadge, PriorityBadge, SlaBadge } from '../../field/ui';
import { DispatchTabs } from '../components/DispatchTabs';
import { ReassignDialog } from '../components/DispatchDialogs';
import { SuggestionsPanel } from '../components/SuggestionsPanel';

const TABS = ['details', 'timeline', 'audit'] as const;
type Tab = (typeof TABS)[number];

/** One job: its state, who could take it and why, the actions its state allows, its story and journal. */
export function JobDetailPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const timeZone = useBranchZone();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t === params.get('tab')) ?? 'details';
  const detail = useRpcQuery(get, { id }, { enabled: id !== '' });
  const assigning = useRpcMutation(assign, { invalidate: ['homeServices.'] });
  const travelling = useRpcMutation(startTravel, { invalidate: ['homeServices.'] });
  const [reassigning, setReassigning] = useState(false);
  if (detail.isPending) return <Skeleton h={300} />;
  if (detail.isError) return <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const job = detail.data;
  const mayDispatch = can('homeServices.dispatch', 'edit');
  const movable = job.state === 'assigned' || job.state === 'en_route';
  return (
    <Stack gap={0}>
      <Anchor component={Link} to={DISPATCH_PATH} size="sm" mb="xs" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Dispatch board
        </Group>
      </Anchor>
      <PageHeader
        title={`Job ${job.appointmentNumber} · ${job.customerName}`}
        subtitle={`${job.serviceName} · ${dayAndTime(job.startsAt, timeZone)}–${clock(job.endsAt, timeZone)} · ${job.technicianName ?? 'unassigned'}`}
        badge={
          <Group gap={4}>
            <JobStateBadge state={job.state} />
            <SlaBadge status={job.slaStatus} due={dayAndTime(job.slaDueAt, timeZone)} />
          </Group>
        }
        actions={
          <>
            {mayDispatch && movable ? (
              <Button variant="light" leftSection={<IconSwitchHorizontal size={16} />} onClick={() => setReassigning(true)}>
                Reassign
              </Button>
            ) : null}
            {job.state === 'assigned' && can('homeServices.visits', 'submit') ? (
              <Button
                variant="light"
                color="cyan"
                leftSection={<IconCar size={16} />}
                loading={travelling.isPending}
                onClick={() => travelling.mutate({ input: { jobId: job.id, version: job.version } })}
              >
                Set off
              </Button>
            ) : null}
          </>
        }
      />
      <DispatchTabs />
      <ApprovalBanner entity="hsJob" entityId={job.id} />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'details' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Paper withBorder p="md">
                <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
                  <Field label="Booking">
                    <Anchor component={Link} to={appointmentPath(job.appointmentId)} size="sm">
                      {job.appointmentNumber}
                    </Anchor>
                  </Field>
                  <Field label="Priority">
                    <PriorityBadge priority={job.priority} />
                  </Field>
                  <Field label="Customer">{job.customerName}</Field>
                  <Field label="Address">
                    {job.customerAddress}
                    {job.zoneCode ? ` (${job.zoneCode})` : ''}
                  </Field>
                  <Field label="Service">
                    {job.serviceName} ({job.durationMinutes} min)
                  </Field>
                  <Field label="SLA deadline">{dayAndTime(job.slaDueAt, timeZone)}</Field>
                  <Field label="Assigned">
                    <DateText value={job.assignedAt} />
                  </Field>
                  <Field label="En route">
                    <DateText value={job.enRouteAt} />
                  </Field>
                  <Field label="On site">
                    <DateText value={job.onSiteAt} />
                  </Field>
                  <Field label="Completed">
                    <DateText value={job.completedAt} />
                  </Field>
                  <Field label="Reassigned">{job.reassignCount === 0 ? 'Never' : `${job.reassignCount}× — last: ${job.lastReason ?? job.lastReasonCode ?? ''}`}</Field>
                  <Field label="Visit">
                    {job.visitId && can('homeServices.visits', 'view') ? (
                      <Anchor component={Link} to={visitPath(job.visitId)} size="sm">
                        Open the visit
                      </Anchor>
                    ) : (
                      'Not started'
                    )}
                  </Field>
                </SimpleGrid>
              </Paper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              {job.state === 'unassigned' || movable ? (
                <SuggestionsPanel
                  job={job}
                  busy={assigning.isPending}
                  onAssign={(c) =>
                    job.state === 'unassigned'
                      ? assigning.mutate(
                          { input: { jobId: job.id, version: job.version, technicianId: c.technicianId } },
                          { onSuccess: (j) => notifications.show({ color: 'green', message: `Assigned to ${j.technicianName}` }) },
                        )
                      : setReassigning(true)
                  }
                />
              ) : (
                <Text size="sm" c="dimmed">
                  This job is {job.state.replace('_', ' ')}; it can no longer move to another technician.
                </Text>
              )}
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <FlowTimeline
            records={[
              { entity: 'hsAppointment', entityId: job.appointmentId },
              { entity: 'hsJob', entityId: job.id },
              { entity: 'hsVisit', entityId: job.visitId },
            ]}
          />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity="hsJob" entityId={job.id} />
        </Tabs.Panel>
      </Tabs>
      {reassigning ? <ReassignDialog job={job} opened onClose={() => setReassigning(false)} /> : null}
    </Stack>
  );
}
