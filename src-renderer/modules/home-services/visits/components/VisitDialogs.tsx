import { FileInput, Group, SegmentedControl, Select, Stack, Text, TextInput, Textarea, Checkbox } from '@mantine/core';
import { useState } from 'react';
import type { Job } from '../../../../../src-shared/contracts/home-services/dispatch';
import { checkIn, checkOut, correct, type CorrectionReason, type Outcome, type Visit } from '../../../../../src-shared/contracts/home-services/visits';
import { useRpcMutation } from '../../../../api/hooks';
import { correctionReasonOptions } from '../../field/labels';
import { instantAt, localDate, useBranchZone } from '../../field/time';
import { ActionDialog } from '../../field/ui';
import { EMPTY_LOCATION, LocationFields, locationInput, type LocationValue } from './LocationFields';
import { SignaturePad } from './SignaturePad';

/** Arriving: the time is the server's; the location and its accuracy are the device's. */
export function CheckInDialog({ job, opened, onClose, onDone }: { job: Job; opened: boolean; onClose(): void; onDone?(visit: Visit): void }) {
  const [location, setLocation] = useState<LocationValue>(EMPTY_LOCATION);
  const [note, setNote] = useState('');
  const arriving = useRpcMutation(checkIn, { invalidate: ['homeServices.'], notifyErrors: false });
  return (
    <ActionDialog
      opened={opened}
      title={`Check in: ${job.appointmentNumber} · ${job.customerName}`}
      onClose={onClose}
      submitLabel="Check in"
      busy={arriving.isPending}
      error={arriving.error}
      onSubmit={() =>
        arriving.mutate(
          { input: { jobId: job.id, version: job.version, location: locationInput(location), ...(note.trim() ? { note: note.trim() } : {}) } },
          {
            onSuccess: (visit) => {
              onDone?.(visit);
              onClose();
            },
          },
        )
      }
    >
      <Text size="sm" c="dimmed">
        {job.customerAddress}. The location is checked against the customer’s map pin.
      </Text>
      <LocationFields label="Where you are" value={location} onChange={setLocation} />
      <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={1000} />
    </ActionDialog>
  );
}

/** Leaving: location, the outcome, a note, the customer's signature and photo file references. */
export function CheckOutDialog({ visit, opened, onClose }: { visit: Visit; opened: boolean; onClose(): void }) {
  const [location, setLocation] = useState<LocationValue>(
    visit.checkIn?.lat != null && visit.checkIn.lng != null ? { lat: visit.checkIn.lat, lng: visit.checkIn.lng, accuracyM: visit.checkIn.accuracyM ?? '', none: false } : EMPTY_LOCATION,
  );
  const [outcome, setOutcome] = useState<Outcome>('completed');
  const [note, setNote] = useState('');
  const [signature, setSignature] = useState<string | null>(null);
  const [signedBy, setSignedBy] = useState(visit.customerName);
  const [photos, setPhotos] = useState<File[]>([]);
  const leaving = useRpcMutation(checkOut, { invalidate: ['homeServices.'], notifyErrors: false });
  return (
    <ActionDialog
      opened={opened}
      size="xl"
      title={`Check out: ${visit.appointmentNumber} · ${visit.customerName}`}
      onClose={onClose}
      submitLabel="Check out"
      busy={leaving.isPending}
      error={leaving.error}
      onSubmit={() =>
        leaving.mutate(
          {
            input: {
              visitId: visit.id,
              version: visit.version,
              location: locationInput(location),
              outcome,
              ...(note.trim() ? { note: note.trim() } : {}),
              ...(signature ? { signature: { dataUrl: signature, signedBy } } : {}),
              // The photos stay on the device or its upload service; the visit records which ones.
              photoRefs: photos.map((f) => f.name),
            },
          },
          { onSuccess: onClose },
        )
      }
    >
      <LocationFields label="Where you are" value={location} onChange={setLocation} />
      <div>
        <Text size="sm" fw={500} mb={4} id="outcome-label">
          Outcome
        </Text>
        <SegmentedControl
          aria-labelledby="outcome-label"
          value={outcome}
          onChange={(v) => setOutcome(v as Outcome)}
          data={[
            { value: 'completed', label: 'Done' },
            { value: 'follow_up', label: 'Needs another visit' },
          ]}
        />
      </div>
      <Textarea label="What was done" value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
      <SignaturePad onChange={setSignature} />
      <Group grow>
        <TextInput label="Signed by" value={signedBy} onChange={(e) => setSignedBy(e.currentTarget.value)} disabled={!signature} />
        <FileInput label="Photos" placeholder="Choose photos" multiple accept="image/*" value={photos} onChange={setPhotos} clearable />
      </Group>
      {!signature ? (
        <Text size="xs" c="dimmed">
          No signature yet: the visit can still be closed (customer not home), but it will show without one.
        </Text>
      ) : null}
    </ActionDialog>
  );
}

/** A supervisor's correction: a reason code and words, new times and/or accepting the location. Audited. */
export function CorrectionDialog({ visit, opened, onClose }: { visit: Visit; opened: boolean; onClose(): void }) {
  const timeZone = useBranchZone();
  const missed = visit.status === 'missed';
  const day = visit.checkIn ? localDate(visit.checkIn.at, timeZone) : visit.localDate;
  const [reasonCode, setReasonCode] = useState<CorrectionReason>(missed ? 'visit_happened' : 'gps_failure');
  const [reason, setReason] = useState('');
  const [inTime, setInTime] = useState('');
  const [outTime, setOutTime] = useState('');
  const [accept, setAccept] = useState(!missed && visit.verification !== 'verified');
  const fixing = useRpcMutation(correct, { invalidate: ['homeServices.'], notifyErrors: false });
  return (
    <ActionDialog
      opened={opened}
      title={`Correct visit ${visit.appointmentNumber}`}
      onClose={onClose}
      submitLabel="Record correction"
      busy={fixing.isPending}
      error={fixing.error}
      onSubmit={() =>
        fixing.mutate(
          {
            input: {
              visitId: visit.id,
              version: visit.version,
              reasonCode,
              reason,
              acceptLocation: accept,
              ...(inTime ? { checkInAt: instantAt(day, inTime, timeZone) } : {}),
              ...(outTime ? { checkOutAt: instantAt(day, outTime, timeZone) } : {}),
            },
          },
          { onSuccess: onClose },
        )
      }
    >
      <Stack gap="xs">
        {missed ? (
          <Text size="sm" c="dimmed">
            A missed visit is corrected only when it took place: give its times, as the customer confirmed them.
          </Text>
        ) : null}
        <Select label="Reason code" data={correctionReasonOptions} value={reasonCode} onChange={(v) => v && setReasonCode(v as CorrectionReason)} allowDeselect={false} />
        <Textarea label="Reason" placeholder="What happened, and how it was confirmed" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} />
        <Group grow>
          <TextInput type="time" label={`Check-in on ${day}`} value={inTime} onChange={(e) => setInTime(e.currentTarget.value)} />
          <TextInput type="time" label="Check-out" value={outTime} onChange={(e) => setOutTime(e.currentTarget.value)} disabled={visit.status === 'in_progress'} />
        </Group>
        {!missed ? <Checkbox label="Accept the location as verified" checked={accept} onChange={(e) => setAccept(e.currentTarget.checked)} /> : null}
      </Stack>
    </ActionDialog>
  );
}
