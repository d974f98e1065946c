import { Alert, Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconClockPause } from '@tabler/icons-react';
import { useState } from 'react';
import { readingsReview, type Reading } from '../../../../../src-shared/contracts/energy/meter-readings';
import { RpcError } from '../../../../api/client';
import { invalidateByPrefix, useRpcMutation } from '../../../../api/hooks';
import { useZodForm } from '../../../../api/forms';
import { ApprovalBanner, ErrorAlert } from '../../../../components';
import { formatLocalDate, formatRegister, formatUnits } from '../labels';
import { ExceptionBadges } from './ExceptionBadges';

export type ReviewAction = 'accept' | 'correct' | 'reread';

/** What a review did, in a sentence for the notification after it. */
export function reviewOutcome(reading: Reading): string {
  const meter = `Meter ${reading.meterSerial}`;
  if (reading.status === 'reread') return `${meter}: sent back for a re-read.`;
  // A corrected value that VEE still flags stays in the queue: correcting is no way around the override gate.
  if (reading.status === 'exception') return `${meter}: corrected, but the new value still has exceptions, so it stays in the queue.`;
  return `${meter}: reading ${reading.resolution === 'corrected' ? 'corrected' : 'accepted'} and posted.`;
}

const COPY: Record<ReviewAction, { title: string; submit: string; intro: string; color: string }> = {
  accept: {
    title: 'Accept the reading as read',
    submit: 'Accept reading',
    intro:
      'Accepting overrides the exceptions: the reading is billed as it was read. Overrides are high-risk, so a second supervisor may have to approve.',
    color: 'green',
  },
  correct: {
    title: 'Correct the reading',
    submit: 'Save correction',
    intro: 'Enter the register value as it should have been read. The original value is kept on the reading and in the audit trail.',
    color: 'blue',
  },
  reread: {
    title: 'Order a re-read',
    submit: 'Order re-read',
    intro: 'The reading is set aside (not billed) and the meter shows up again on its route for the reader to read.',
    color: 'yellow',
  },
};

interface ReviewDialogProps {
  reading: Reading | null;
  action: ReviewAction | null;
  onClose(): void;
  /** The reading after a review that took effect (not one sent for approval). */
  onReviewed?(reading: Reading): void;
}

/** A supervisor's decision on one exception: accept (approval-gated override), correct, or re-read. */
export function ReviewDialog({ reading, action, onClose, onReviewed }: ReviewDialogProps) {
  const opened = reading !== null && action !== null;
  return (
    <Modal opened={opened} onClose={onClose} title={action ? COPY[action].title : ''} size="lg">
      {reading && action ? (
        // Keyed so each opening starts with a fresh form and no stale approval notice.
        <ReviewForm key={`${reading.id}:${action}`} reading={reading} action={action} onClose={onClose} onReviewed={onReviewed} />
      ) : null}
    </Modal>
  );
}

function ReviewForm({ reading, action, onClose, onReviewed }: { reading: Reading; action: ReviewAction } & Omit<ReviewDialogProps, 'reading' | 'action'>) {
  const copy = COPY[action];
  const queryClient = useQueryClient();
  const [sentForApproval, setSentForApproval] = useState(false);
  const review = useRpcMutation(readingsReview, { notifyErrors: false });
  const form = useZodForm(
    readingsReview.input,
    { correctedValue: '' as number | string, reason: '' },
    (values) => ({
      id: reading.id,
      version: reading.version,
      action,
      reason: values.reason,
      ...(action === 'correct' && values.correctedValue !== '' ? { correctedValue: Number(values.correctedValue) } : {}),
    }),
  );

  const submit = form.onSubmit((input) => {
    review.mutate(
      { input },
      {
        onSuccess: (updated) => {
          onReviewed?.(updated);
          onClose();
        },
        onError: (error) => {
          if (error instanceof RpcError && error.code === 'APPROVAL_REQUIRED') {
            setSentForApproval(true);
            // The request exists now: banners and inboxes must show it.
            void invalidateByPrefix(queryClient, ['approvals.']);
            return;
          }
          form.applyServerErrors(error);
        },
      },
    );
  });

  if (sentForApproval) {
    return (
      <Stack>
        <Alert color="yellow" icon={<IconClockPause size={18} />} title="Sent for approval — a supervisor must approve" role="status">
          <Text size="sm">
            Overriding an exception needs a second supervisor. The reading stays in the review queue until the request is approved, and
            what runs then is exactly what you asked for.
          </Text>
        </Alert>
        <ApprovalBanner entity="meterReading" entityId={reading.id} />
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  const serverError = review.error && !(review.error.code === 'VALIDATION' && Object.keys(form.errors).length > 0) ? review.error : null;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ReadingSummary reading={reading} />
        <Text size="sm">{copy.intro}</Text>
        {action === 'correct' ? (
          <NumberInput
            label="Corrected reading"
            description={`Register value as shown on the dials (was ${formatRegister(reading.value)})`}
            value={form.values.correctedValue}
            onChange={(value) => form.setField('correctedValue', value)}
            error={form.errors.correctedValue}
            allowDecimal={false}
            allowNegative={false}
            hideControls
            data-autofocus
          />
        ) : null}
        <Textarea
          label="Reason"
          description="Kept with the reading and in the audit trail"
          placeholder={action === 'reread' ? 'e.g. Digits look transposed; confirm on site' : 'e.g. Confirmed with the customer: pool filled this month'}
          autosize
          minRows={2}
          {...form.text('reason')}
          // Enter in a one-line reason submits like every other form; Shift+Enter adds a line.
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              submit();
            }
          }}
          {...(action === 'correct' ? {} : { 'data-autofocus': true })}
        />
        <ErrorAlert error={serverError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color={copy.color} loading={review.isPending}>
            {copy.submit}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReadingSummary({ reading }: { reading: Reading }) {
  return (
    <Stack gap="xs" p="sm" bg="var(--mantine-color-default-hover)" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600} size="sm">
          Meter {reading.meterSerial} · {reading.accountNo} {reading.accountName}
        </Text>
        <Text size="sm" c="dimmed">
          {formatLocalDate(reading.readDate)}
        </Text>
      </Group>
      <SimpleGrid cols={3} spacing="xs">
        <Figure label="Reading" value={formatRegister(reading.value)} />
        <Figure label="Previous" value={formatRegister(reading.previousValue)} />
        <Figure label="Consumption" value={formatUnits(reading.consumption)} />
      </SimpleGrid>
      <ExceptionBadges exceptions={reading.exceptions} size="sm" />
      {reading.exceptions.map((exception) => (
        <Text key={exception.code} size="xs" c="dimmed">
          {exception.message}
        </Text>
      ))}
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </div>
  );
}
