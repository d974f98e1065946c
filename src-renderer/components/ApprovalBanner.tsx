import { Alert, Anchor, Group, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconClockPause } from '@tabler/icons-react';
import { Link } from 'react-router';
import { approvalsList, type Approval } from '../../src-shared/contracts/kernel';
import { useRpcQuery } from '../api/hooks';
import { DateText } from './DateText';
import { functionLabel } from './labels';

export interface ApprovalBannerProps {
  entity: string;
  entityId: string;
}

const approvalLink = (approval: Approval) => `/approvals?box=all&id=${encodeURIComponent(approval.id)}`;

/** Who may decide, in words: the permission matrix cell, minus the maker (four-eyes rule). */
export function whoMayDecide(approval: Approval): string {
  return `a user with “Approve” on ${functionLabel(approval.functionKey)}, other than ${approval.requestedByName}`;
}

/**
 * Above a record's detail: a pending request for it (who asked, what, who must decide), or the
 * most recent decision, so nobody repeats an action that is already waiting for a supervisor.
 */
export function ApprovalBanner({ entity, entityId }: ApprovalBannerProps) {
  const approvals = useRpcQuery(approvalsList, { box: 'all', entity, entityId });
  const list = approvals.data ?? [];
  const latest = list.find((a) => a.status === 'pending') ?? [...list].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];
  if (!latest) return null;

  if (latest.status === 'pending') {
    return (
      <Alert color="yellow" icon={<IconClockPause size={18} />} title="Waiting for approval" mb="md">
        <Text size="sm">
          {latest.summary} — asked by <b>{latest.requestedByName}</b> <DateText value={latest.requestedAt} />
          {latest.requestReason ? <> (“{latest.requestReason}”)</> : null}.
        </Text>
        <Group gap="xs" mt={4}>
          <Text size="sm" c="dimmed">
            {latest.canDecide ? 'You may decide it.' : `To be decided by ${whoMayDecide(latest)}.`}
          </Text>
          <Anchor component={Link} to={approvalLink(latest)} size="sm">
            {latest.canDecide ? 'Review and decide' : 'Open the request'}
          </Anchor>
        </Group>
      </Alert>
    );
  }

  const approved = latest.status === 'approved' || latest.status === 'executed';
  const failed = latest.status === 'failed';
  const outcome = approved ? 'Approved' : failed ? 'Approved, but running it failed' : latest.status === 'rejected' ? 'Rejected' : 'Withdrawn';
  return (
    <Alert
      color={approved ? 'green' : failed || latest.status === 'rejected' ? 'red' : 'gray'}
      icon={approved ? <IconCircleCheck size={18} /> : <IconCircleX size={18} />}
      title={`${outcome}: ${latest.summary}`}
      mb="md"
    >
      <Text size="sm">
        {latest.decidedByName ? (
          <>
            {latest.decidedByName} <DateText value={latest.decidedAt} />
            {latest.decisionReason ? <> — “{latest.decisionReason}”</> : null}.{' '}
          </>
        ) : null}
        {failed && latest.executionError ? <>Error: {latest.executionError}. </> : null}
        <Anchor component={Link} to={approvalLink(latest)} size="sm">
          Details
        </Anchor>
      </Text>
    </Alert>
  );
}
