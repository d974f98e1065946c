import { Button, Group, SegmentedControl, Select, Skeleton, Text, TextInput, Textarea } from '@mantine/core';
import { useMemo, useState } from 'react';
import {
  availability,
  cancel,
  markNoShow,
  reschedule,
  type Appointment,
  type CancelReason,
  type RescheduleReason,
} from '../../../../../src-shared/contracts/home-services/scheduling';
import { RpcError } from '../../../../api/client';
import { useRpcMutation, useRpcQuery } from '../../../../api/hooks';
import { cancelReasonOptions, rescheduleReasonOptions } from '../../field/labels';
import { useTechnicians } from '../../field/options';
import { clock, dayAndTime, dayLabel, instantAt, localDate, useBranchZone } from '../../field/time';
import { ActionDialog } from '../../field/ui';

type Scope = 'occurrence' | 'series';

function ScopeChoice({ appointment, scope, setScope, verb }: { appointment: Appointment; scope: Scope; setScope(s: Scope): void; verb: string }) {
  if (!appointment.seriesId) return null;
  return (
    <div>
      <Text size="sm" fw={500} mb={4} id="scope-label">
        Which appointments
      </Text>
      <SegmentedControl
        aria-labelledby="scope-label"
        value={scope}
        onChange={(v) => setScope(v as Scope)}
        data={[
          { value: 'occurrence', label: `${verb} this one only` },
          { value: 'series', label: `${verb} this and the later ones` },
        ]}
      />
    </div>
  );
}

/** Move an appointment: the free slots from a chosen date (its own time left out), a reason, and for a series, how much of it. */
export function RescheduleDialog({ appointment, opened, onClose }: { appointment: Appointment; opened: boolean; onClose(): void }) {
  const timeZone = useBranchZone();
  const { options: technicians } = useTechnicians();
  const [fromDate, setFromDate] = useState(appointment.localDate);
  const [technicianId, setTechnicianId] = useState<string | null>(appointment.technicianId);
  const [picked, setPicked] = useState<string | null>(null);
  const [reasonCode, setReasonCode] = useState<RescheduleReason>('customer_request');
  const [note, setNote] = useState('');
  const [scope, setScope] = useState<Scope>('occurrence');
  const slots = useRpcQuery(
    availability,
    {
      customerId: appointment.customerId,
      serviceId: appointment.serviceId,
      ...(technicianId ? { technicianId } : {}),
      from: instantAt(fromDate, '00:00', timeZone),
      days: 7,
      limit: 30,
      ignoreAppointmentId: appointment.id,
    },
    { enabled: opened },
  );
  const found = useMemo(() => slots.data?.slots ?? [], [slots.data]);
  const chosen = picked && found.some((s) => s.startsAt === picked) ? picked : (found[0]?.startsAt ?? null);
  const move = useRpcMutation(reschedule, { invalidate: ['homeServices.'], notifyErrors: false });
  return (
    <ActionDialog
      opened={opened}
      title={`Reschedule ${appointment.number}`}
      onClose={onClose}
      submitLabel="Reschedule"
      busy={move.isPending}
      error={move.error}
      onSubmit={() =>
        chosen &&
        move.mutate(
          {
            input: {
              id: appointment.id,
              version: appointment.version,
              startsAt: chosen,
              reasonCode,
              scope,
              ...(technicianId !== appointment.technicianId ? { technicianId } : {}),
              ...(note.trim() ? { note: note.trim() } : {}),
            },
          },
          {
            onSuccess: onClose,
            onError: (error) => {
              if (error instanceof RpcError && error.code === 'CONFLICT') void slots.refetch();
            },
          },
        )
      }
    >
      <Text size="sm" c="dimmed">
        Now {dayAndTime(appointment.startsAt, timeZone)}
        {appointment.technicianName ? ` with ${appointment.technicianName}` : ', not assigned'}. The technician stays if still free at the new time; otherwise the job goes back
        to the dispatcher’s tray.
      </Text>
      <Group grow>
        <TextInput type="date" label="From date" value={fromDate} onChange={(e) => setFromDate(e.currentTarget.value)} />
        <Select label="Technician" placeholder="Any technician" data={technicians} value={technicianId} onChange={setTechnicianId} clearable searchable />
      </Group>
      {slots.isPending ? (
        <Skeleton h={80} />
      ) : found.length === 0 ? (
        <Text size="sm" c="orange">
          {slots.data?.explanation ?? 'No free slot that week; try another date.'}
        </Text>
      ) : (
        <Group gap={6} role="radiogroup" aria-label="New time">
          {found.map((slot) => (
            <Button
              key={slot.startsAt}
              size="xs"
              role="radio"
              aria-checked={slot.startsAt === chosen}
              variant={slot.startsAt === chosen ? 'filled' : 'default'}
              onClick={() => setPicked(slot.startsAt)}
            >
              {dayLabel(localDate(slot.startsAt, timeZone))} {clock(slot.startsAt, timeZone)}
            </Button>
          ))}
        </Group>
      )}
      <Select label="Reason" data={rescheduleReasonOptions} value={reasonCode} onChange={(v) => v && setReasonCode(v as RescheduleReason)} allowDeselect={false} />
      <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
      <ScopeChoice appointment={appointment} scope={scope} setScope={setScope} verb="Move" />
    </ActionDialog>
  );
}

export function CancelDialog({ appointment, opened, onClose }: { appointment: Appointment; opened: boolean; onClose(): void }) {
  const [reasonCode, setReasonCode] = useState<CancelReason>('customer_request');
  const [note, setNote] = useState('');
  const [scope, setScope] = useState<Scope>('occurrence');
  const cancelling = useRpcMutation(cancel, { invalidate: ['homeServices.'], notifyErrors: false });
  return (
    <ActionDialog
      opened={opened}
      title={`Cancel ${appointment.number}`}
      onClose={onClose}
      submitLabel="Cancel appointment"
      danger
      busy={cancelling.isPending}
      error={cancelling.error}
      onSubmit={() =>
        cancelling.mutate(
          { input: { id: appointment.id, version: appointment.version, reasonCode, scope, ...(note.trim() ? { note: note.trim() } : {}) } },
          { onSuccess: onClose },
        )
      }
    >
      <Text size="sm" c="dimmed">
        Cancelled inside the late-cancellation window, it is marked late: a package session or a fee may be charged.
      </Text>
      <Select label="Reason" data={cancelReasonOptions} value={reasonCode} onChange={(v) => v && setReasonCode(v as CancelReason)} allowDeselect={false} />
      <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
      <ScopeChoice appointment={appointment} scope={scope} setScope={setScope} verb="Cancel" />
    </ActionDialog>
  );
}

export function NoShowDialog({ appointment, opened, onClose }: { appointment: Appointment; opened: boolean; onClose(): void }) {
  const [reason, setReason] = useState('');
  const marking = useRpcMutation(markNoShow, { invalidate: ['homeServices.'], notifyErrors: false });
  return (
    <ActionDialog
      opened={opened}
      title={`No-show: ${appointment.number}`}
      onClose={onClose}
      submitLabel="Record no-show"
      danger
      busy={marking.isPending}
      error={marking.error}
      onSubmit={() => marking.mutate({ input: { id: appointment.id, version: appointment.version, reason } }, { onSuccess: onClose })}
    >
      <Textarea label="What happened" placeholder="Nobody home; called twice" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required minRows={2} autosize />
    </ActionDialog>
  );
}
