import { Alert, Anchor, Button, Code, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconClockPause, IconLock, IconPlugConnectedX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ERROR_GUIDANCE, asRpcError } from '../api/errors';

export interface ErrorAlertProps {
  error: unknown;
  /** Offer "Try again" (a failed load); leave out for a failed save the user repeats themselves. */
  onRetry?: () => void;
  title?: ReactNode;
}

/** An error in words a user can act on: what happened, what to do next, and the detail support needs. */
export function ErrorAlert({ error, onRetry, title }: ErrorAlertProps) {
  if (error === null || error === undefined) return null;
  const rpcError = asRpcError(error);
  // The "session ended" dialog handles it; an alert left behind would be stale once signed back in.
  if (rpcError.code === 'UNAUTHENTICATED') return null;
  const guidance = ERROR_GUIDANCE[rpcError.code];
  const details = rpcError.details ?? {};
  const issues = (details.issues ?? []).filter((issue) => issue.message);
  const icon = rpcError.unreachable ? (
    <IconPlugConnectedX size={18} />
  ) : rpcError.code === 'FORBIDDEN' ? (
    <IconLock size={18} />
  ) : rpcError.code === 'APPROVAL_REQUIRED' ? (
    <IconClockPause size={18} />
  ) : (
    <IconAlertTriangle size={18} />
  );
  const color = rpcError.code === 'APPROVAL_REQUIRED' ? 'yellow' : rpcError.code === 'CONFLICT' ? 'orange' : 'red';

  return (
    <Alert color={color} icon={icon} title={title ?? (rpcError.unreachable ? 'Cannot reach the service' : guidance.title)} role="alert">
      <Stack gap={6}>
        <Text size="sm">{rpcError.message}</Text>
        {issues.length > 0 ? (
          <List size="sm" spacing={2}>
            {issues.map((issue) => (
              <List.Item key={`${issue.path}:${issue.message}`}>
                {issue.path ? <Code>{issue.path}</Code> : null} {issue.message}
              </List.Item>
            ))}
          </List>
        ) : null}
        {rpcError.code === 'RULE_VIOLATION' && typeof details.rule === 'string' ? (
          <Text size="xs" c="dimmed">
            Rule: <Code>{details.rule}</Code>
          </Text>
        ) : null}
        {rpcError.code === 'APPROVAL_REQUIRED' && typeof details.approvalId === 'string' ? (
          <Anchor size="sm" href={`#/approvals?box=mine&id=${encodeURIComponent(details.approvalId)}`}>
            Follow the request in Approvals
          </Anchor>
        ) : null}
        {rpcError.code === 'INTERNAL' && typeof details.incidentId === 'string' ? (
          <Text size="xs">
            Incident id: <Code>{details.incidentId}</Code>
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {rpcError.unreachable ? 'Start the Plug1 service (or check the network), then try again.' : guidance.nextStep}
        </Text>
        {onRetry ? (
          <div>
            <Button size="xs" variant="light" color={color} onClick={onRetry}>
              Try again
            </Button>
          </div>
        ) : null}
      </Stack>
    </Alert>
  );
}
