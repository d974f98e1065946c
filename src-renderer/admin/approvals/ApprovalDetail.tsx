import { Alert, Button, Code, Divider, Group, SimpleGrid, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconInfoCircle, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { approvalsCancel, approvalsDecide, approvalsGet, type Approval } from '../../../src-shared/contracts/kernel';
import { reason as reasonSchema } from '../../../src-shared/rpc';
import { useRpcMutation, useRpcQuery, useSession } from '../../api/hooks';
import { whoMayDecide } from '../../components/ApprovalBanner';
import { DateText } from '../../components/DateText';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { functionLabel } from '../../components/labels';
import { StatusBadge } from '../../components/StatusBadge';
import { ValueView } from '../../components/ValueView';

function DecisionForm({ approval }: { approval: Approval }) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const decide = useRpcMutation(approvalsDecide, {
    invalidate: ['approvals.', `${approval.functionKey}.`],
    notifyErrors: false,
    onSuccess: (result) => {
      notifications.show({
        color: result.status === 'rejected' ? 'gray' : result.status === 'failed' ? 'red' : 'green',
        title: result.status === 'rejected' ? 'Rejected' : result.status === 'failed' ? 'Approved, but it failed to run' : 'Approved',
        message:
          result.status === 'failed'
            ? (result.executionError ?? 'The approved action could not run.')
            : `${result.summary}. ${result.requestedByName} is told in their Approvals list.`,
      });
    },
  });

  const submit = (decision: 'approve' | 'reject') => {
    const parsed = reasonSchema.safeParse(reason);
    if (!parsed.success) {
      setReasonError(parsed.error.issues[0]?.message ?? 'Give a reason');
      return;
    }
    decide.mutate({ input: { id: approval.id, version: approval.version, decision, reason: parsed.data } });
  };

  return (
    <Stack gap="sm">
      <Textarea
        label="Reason for your decision"
        description="Required. It is stored in the audit journal and shown to the requester."
        autosize
        minRows={2}
        maxRows={5}
        value={reason}
        onChange={(event) => {
          setReason(event.currentTarget.value);
          setReasonError(null);
        }}
        onKeyDown={(event) => {
          // Ctrl+Enter approves: the common case should not need the mouse.
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            submit('approve');
          }
        }}
        error={reasonError}
        // The detail loads after the drawer opened, so its focus trap cannot find this field itself.
        autoFocus
        data-autofocus
      />
      {decide.error ? <ErrorAlert error={decide.error} /> : null}
      <Group justify="flex-end" gap="xs">
        <Button
          color="red"
          variant="light"
          leftSection={<IconX size={16} />}
          loading={decide.isPending && decide.variables?.input.decision === 'reject'}
          disabled={decide.isPending}
          onClick={() => submit('reject')}
        >
          Reject
        </Button>
        <Button
          color="green"
          leftSection={<IconCheck size={16} />}
          loading={decide.isPending && decide.variables?.input.decision === 'approve'}
          disabled={decide.isPending}
          onClick={() => submit('approve')}
        >
          Approve and run
        </Button>
      </Group>
      <Text size="xs" c="dimmed" ta="right">
        Ctrl+Enter in the reason approves.
      </Text>
    </Stack>
  );
}

function NotYours({ approval }: { approval: Approval }) {
  const { user } = useSession();
  const withdraw = useRpcMutation(approvalsCancel, { invalidate: ['approvals.'] });
  const own = approval.requestedBy === user.id;
  return (
    <Alert color="gray" icon={<IconInfoCircle size={18} />} title={own ? 'This is your own request' : 'You cannot decide this request'}>
      <Stack gap="xs">
        <Text size="sm">
          {own
            ? `Someone else must decide it (four-eyes rule): ${whoMayDecide(approval)}.`
            : `It needs ${whoMayDecide(approval)}.`}
        </Text>
        {own ? (
          <Group>
            <Button
              size="xs"
              variant="default"
              loading={withdraw.isPending}
              onClick={() => withdraw.mutate({ input: { id: approval.id, version: approval.version } })}
            >
              Withdraw my request
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}

function Outcome({ approval }: { approval: Approval }) {
  if (approval.status === 'pending') return null;
  const color = approval.status === 'executed' || approval.status === 'approved' ? 'green' : approval.status === 'cancelled' ? 'gray' : 'red';
  return (
    <Alert color={color} title={approval.status === 'cancelled' ? 'Withdrawn by the requester' : `Decision: ${approval.status}`}>
      <Stack gap={4}>
        {approval.decidedByName ? (
          <Text size="sm">
            {approval.decidedByName}, <DateText value={approval.decidedAt} />
          </Text>
        ) : null}
        {approval.decisionReason ? <Text size="sm">“{approval.decisionReason}”</Text> : null}
        {approval.executionError ? (
          <Text size="sm" c="red">
            Running the approved action failed: {approval.executionError}
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** One request, readable by a supervisor: who asked, for what, why, the exact payload, and the decision. */
export function ApprovalDetail({ id }: { id: string }) {
  const approval = useRpcQuery(approvalsGet, { id });
  if (approval.isPending) return <Skeleton height={240} />;
  if (approval.isError) return <ErrorAlert error={approval.error} onRetry={() => void approval.refetch()} />;
  const a = approval.data;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Title order={3} fz="md">
          {a.summary}
        </Title>
        <StatusBadge status={a.status} style={{ flexShrink: 0 }} />
      </Group>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing="xs">
        <Field label="Function">{functionLabel(a.functionKey)}</Field>
        <Field label="Action">
          <Code>{a.procedure}</Code>
        </Field>
        <Field label="Requested by">{a.requestedByName}</Field>
        <Field label="Requested">
          <DateText value={a.requestedAt} />
        </Field>
        {a.entity ? (
          <Field label="Record">
            {a.entity} <Code>{a.entityId}</Code>
          </Field>
        ) : null}
        <Field label="Their reason">{a.requestReason ?? '—'}</Field>
      </SimpleGrid>
      <Divider label="What will run exactly as approved" labelPosition="left" />
      <ValueView value={a.payload} />
      <Text size="xs" c="dimmed">
        Payload fingerprint <Code fz="xs">{a.payloadHash.slice(0, 16)}</Code>: if the request is changed after approval, it will not run.
      </Text>
      <Divider />
      {a.status === 'pending' ? a.canDecide ? <DecisionForm approval={a} /> : <NotYours approval={a} /> : <Outcome approval={a} />}
    </Stack>
  );
}
