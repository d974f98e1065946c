import { Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { reassign, suggest, type Job, type ReassignReason } from '../../../../../src-shared/contracts/home-services/dispatch';
import { useRpcMutation, useRpcQuery } from '../../../../api/hooks';
import { reassignReasonOptions } from '../../field/labels';
import { ActionDialog } from '../../field/ui';

/**
 * Move a job to another technician (eligible ones first, with why) or back to the tray; the reason
 * is kept on the job and in the journal.
 */
export function ReassignDialog({ job, to, opened, onClose }: { job: Job; to?: string | null; opened: boolean; onClose(): void }) {
  const suggestions = useRpcQuery(suggest, { jobId: job.id }, { enabled: opened });
  const [technicianId, setTechnicianId] = useState<string | null>(to ?? null);
  const [reasonCode, setReasonCode] = useState<ReassignReason>('rebalance');
  const [note, setNote] = useState('');
  const moving = useRpcMutation(reassign, { invalidate: ['homeServices.'], notifyErrors: false });
  const options = [
    { value: '__tray__', label: 'Back to the unassigned tray' },
    ...(suggestions.data?.candidates ?? [])
      .filter((c) => c.technicianId !== job.technicianId)
      .map((c) => ({
        value: c.technicianId,
        label: c.eligible ? `${c.rank}. ${c.technicianName} — ${c.reasons[0]}` : `${c.technicianName} — cannot: ${c.blockers[0]}`,
        disabled: !c.eligible,
      })),
  ];
  return (
    <ActionDialog
      opened={opened}
      title={`Reassign ${job.appointmentNumber}`}
      onClose={onClose}
      submitLabel="Reassign"
      busy={moving.isPending}
      error={moving.error}
      onSubmit={() =>
        moving.mutate(
          {
            input: {
              jobId: job.id,
              version: job.version,
              technicianId: technicianId === '__tray__' ? null : technicianId,
              reasonCode,
              ...(note.trim() ? { note: note.trim() } : {}),
            },
          },
          { onSuccess: onClose },
        )
      }
    >
      <Select label="To" placeholder="Choose a technician or the tray" data={options} value={technicianId ?? null} onChange={setTechnicianId} required data-autofocus />
      <Select label="Reason" data={reassignReasonOptions} value={reasonCode} onChange={(v) => v && setReasonCode(v as ReassignReason)} allowDeselect={false} />
      <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
    </ActionDialog>
  );
}
