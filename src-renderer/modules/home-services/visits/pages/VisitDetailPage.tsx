import { Alert, Anchor, Badge, Button, Grid, Group, Image, List, Paper, SimpleGrid, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconCircleCheck, IconEdit, IconLogout2 } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { CORRECTION_REASONS, get, type Checkpoint, type Visit } from '../../../../../src-shared/contracts/home-services/visits';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { ApprovalBanner, AuditTrail, DateText, ErrorAlert, Field, PageHeader } from '../../../../components';
import { FlowTimeline } from '../../field/FlowTimeline';
import { VISITS_PATH, VISIT_STATUS_LABELS, appointmentPath, jobPath } from '../../field/labels';
import { clock, dayLabel, useBranchZone } from '../../field/time';
import { GeofenceBadge } from '../../field/ui';
import { CheckOutDialog, CorrectionDialog } from '../components/VisitDialogs';
import { VisitTabs } from '../components/VisitTabs';

const TABS = ['details', 'timeline', 'audit'] as const;
type Tab = (typeof TABS)[number];

function CheckpointCard({ title, point, timeZone }: { title: string; point: Checkpoint | null; timeZone: string }) {
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Title order={4} fz="sm">
          {title}
        </Title>
        {point ? <GeofenceBadge level={point.level} /> : null}
      </Group>
      {point ? (
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            {clock(point.at, timeZone)} <Text span size="xs" c="dimmed"><DateText value={point.at} /></Text>
          </Text>
          <Text size="sm">{point.lat !== null && point.lng !== null ? `${point.lat.toFixed(5)}, ${point.lng.toFixed(5)} ± ${Math.round(point.accuracyM ?? 0)} m` : 'No location'}</Text>
          <Text size="xs" c="dimmed">
            {point.explanation}
          </Text>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          Not yet.
        </Text>
      )}
    </Paper>
  );
}

/** One visit: the six EVV elements, both checkpoints with their geofence verdicts, the evidence, corrections and journal. */
export function VisitDetailPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const timeZone = useBranchZone();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t === params.get('tab')) ?? 'details';
  const detail = useRpcQuery(get, { id }, { enabled: id !== '' });
  const [dialog, setDialog] = useState<'correct' | 'checkOut' | null>(null);
  if (detail.isPending) return <Skeleton h={300} />;
  if (detail.isError) return <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const { visit: v, signatureDataUrl } = detail.data;
  return (
    <Stack gap={0}>
      <Anchor component={Link} to={VISITS_PATH} size="sm" mb="xs" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Visits
        </Group>
      </Anchor>
      <PageHeader
        title={`Visit ${v.appointmentNumber} · ${v.customerName}`}
        subtitle={`${v.serviceName} · ${dayLabel(v.localDate)} · ${v.technicianName ?? 'no technician'}`}
        badge={
          <Group gap={4} aria-label="Verification">
            <GeofenceBadge level={v.verification} size="md" />
            <Badge variant="light" color={v.status === 'missed' ? 'red' : v.status === 'completed' ? 'green' : 'grape'} size="md">
              {VISIT_STATUS_LABELS[v.status]}
            </Badge>
          </Group>
        }
        actions={
          <>
            {v.status === 'in_progress' && can('homeServices.visits', 'submit') ? (
              <Button color="green" leftSection={<IconLogout2 size={16} />} onClick={() => setDialog('checkOut')}>
                Check out
              </Button>
            ) : null}
            {can('homeServices.visits', 'approve') && (v.verification !== 'verified' || v.status === 'missed' || v.status === 'completed') ? (
              <Button variant="light" leftSection={<IconEdit size={16} />} onClick={() => setDialog('correct')}>
                Correct…
              </Button>
            ) : null}
          </>
        }
      />
      <VisitTabs />
      <ApprovalBanner entity="hsVisit" entityId={v.id} />
      {v.status === 'missed' ? (
        <Alert color="red" mb="md" title="Missed visit">
          Nobody checked in by the end of the window plus grace (flagged <DateText value={v.missedAt} />). Reschedule the booking, record a no-show, or — if it did take place — correct it with its times.
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'details' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <Details visit={v} signature={signatureDataUrl} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <FlowTimeline
            records={[
              { entity: 'hsAppointment', entityId: v.appointmentId },
              { entity: 'hsJob', entityId: v.jobId },
              { entity: 'hsVisit', entityId: v.id },
            ]}
          />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity="hsVisit" entityId={v.id} />
        </Tabs.Panel>
      </Tabs>
      {dialog === 'correct' ? <CorrectionDialog visit={v} opened onClose={() => setDialog(null)} /> : null}
      {dialog === 'checkOut' ? <CheckOutDialog visit={v} opened onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}

function Details({ visit: v, signature, timeZone }: { visit: Visit; signature: string | null; timeZone: string }) {
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <CheckpointCard title="Check-in" point={v.checkIn} timeZone={timeZone} />
            <CheckpointCard title="Check-out" point={v.checkOut} timeZone={timeZone} />
          </SimpleGrid>
          <Paper withBorder p="md">
            <Title order={4} fz="sm" mb="xs">
              Evidence
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Stack gap="xs">
                <Field label="Outcome">{v.outcome === 'follow_up' ? 'Needs another visit' : v.outcome === 'completed' ? 'Done (first time right)' : '—'}</Field>
                <Field label="Minutes on site">{v.minutesOnSite ?? '—'}</Field>
                <Field label="Note">{v.note ?? '—'}</Field>
                <Field label="Photos">{v.photoRefs.length ? v.photoRefs.join(', ') : 'None'}</Field>
              </Stack>
              <div>
                <Text size="xs" c="dimmed">
                  Signature{v.signedBy ? ` of ${v.signedBy}` : ''}
                </Text>
                {signature ? (
                  <Image src={signature} alt={`Signature of ${v.signedBy ?? 'the customer'}`} mah={140} w="auto" maw="100%" fit="contain" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8, background: 'white' }} />
                ) : (
                  <Text size="sm">Not signed</Text>
                )}
              </div>
            </SimpleGrid>
          </Paper>
          {v.corrections.length > 0 ? (
            <Paper withBorder p="md">
              <Title order={4} fz="sm" mb="xs">
                Corrections
              </Title>
              <List size="sm" spacing={4}>
                {v.corrections.map((c) => (
                  <List.Item key={c.at}>
                    <DateText value={c.at} /> by {c.byName}: {CORRECTION_REASONS[c.reasonCode]} — {c.reason}
                  </List.Item>
                ))}
              </List>
            </Paper>
          ) : null}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Paper withBorder p="md" aria-label="Electronic visit verification">
          <Group justify="space-between" mb="xs">
            <Title order={4} fz="sm">
              Electronic visit verification
            </Title>
            {v.evv.missing.length === 0 ? (
              <Group gap={4}>
                <IconCircleCheck size={16} color="var(--mantine-color-green-6)" />
                <Text size="xs">All six elements</Text>
              </Group>
            ) : (
              <Badge color="orange" variant="light">
                {v.evv.missing.length} missing
              </Badge>
            )}
          </Group>
          <SimpleGrid cols={2} spacing="sm">
            <Field label="Service type">{v.evv.serviceType}</Field>
            <Field label="Recipient">{v.evv.recipient}</Field>
            <Field label="Provider">{v.evv.provider ?? '—'}</Field>
            <Field label="Date">{v.evv.date ?? '—'}</Field>
            <Field label="Location">{v.evv.location ?? '—'}</Field>
            <Field label="Start – end">
              {v.evv.startTime ?? '—'} – {v.evv.endTime ?? '—'}
            </Field>
          </SimpleGrid>
          <Group gap="sm" mt="md">
            <Anchor component={Link} to={appointmentPath(v.appointmentId)} size="sm">
              Booking {v.appointmentNumber}
            </Anchor>
            <Anchor component={Link} to={jobPath(v.jobId)} size="sm">
              Dispatch job
            </Anchor>
          </Group>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
