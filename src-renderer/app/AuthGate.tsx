import { Button, Center, Loader, Modal, Paper, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { authLogout, authMe, systemStatus, type SessionUser } from '../../src-shared/contracts/kernel';
import { call } from '../api/client';
import { useRpcQuery } from '../api/hooks';
import { SessionContext, canDo, type Session } from '../api/session';
import { clearToken, getToken, onSessionEnded, setToken } from '../api/token';
import { ErrorAlert } from '../components/ErrorAlert';
import { AppRouter } from './router';
import { LoginForm, type SignInResult } from './LoginForm';
import { LoginScreen } from './LoginScreen';
import { SetupScreen } from './SetupScreen';

const ME_KEY = [authMe.name, {}];

function Splash() {
  return (
    <Center h="100%">
      <Loader size="sm" />
    </Center>
  );
}

function FullPageError({ error, onRetry }: { error: unknown; onRetry(): void }) {
  return (
    <div className="plug1-auth-backdrop">
      <Paper withBorder p="lg" w={460} maw="100%">
        <ErrorAlert error={error} onRetry={onRetry} />
      </Paper>
    </div>
  );
}

/**
 * Decides what the window shows: first-run setup, sign-in, or the app. When a session ends
 * mid-work, the sign-in dialog opens *over* the app, so the screen underneath (and whatever the
 * user typed into it) survives; signing back in as the same user carries straight on.
 */
export function AuthGate() {
  const queryClient = useQueryClient();
  const status = useRpcQuery(systemStatus, {});
  const [hasToken, setHasToken] = useState(() => getToken() !== null);
  const [expired, setExpired] = useState(false);
  const me = useRpcQuery(authMe, {}, { enabled: hasToken && !expired && status.data?.needsSetup === false });

  useEffect(
    () =>
      onSessionEnded(() => {
        if (queryClient.getQueryData(ME_KEY)) setExpired(true);
        else setHasToken(false);
      }),
    [queryClient],
  );

  const signIn = useCallback(
    (result: SignInResult) => {
      const previous = queryClient.getQueryData<SessionUser>(ME_KEY);
      setToken(result.token);
      if (previous && previous.id !== result.user.id) {
        // Someone else took over the window: nothing of the previous user's screens may remain.
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== systemStatus.name });
        window.location.hash = '#/';
      }
      queryClient.setQueryData(ME_KEY, result.user);
      setHasToken(true);
      setExpired((wasExpired) => {
        if (wasExpired) void queryClient.invalidateQueries();
        return false;
      });
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    await call(authLogout, {}).catch(() => undefined);
    clearToken();
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== systemStatus.name });
    setHasToken(false);
    setExpired(false);
    window.location.hash = '#/';
  }, [queryClient]);

  const user = me.data;
  const session = useMemo<Session | null>(
    () =>
      user && status.data
        ? { user, system: status.data, can: (fn, verb) => canDo(user, fn, verb), logout }
        : null,
    [user, status.data, logout],
  );

  if (status.isPending) return <Splash />;
  if (status.isError) return <FullPageError error={status.error} onRetry={() => void status.refetch()} />;
  if (status.data.needsSetup) return <SetupScreen onSignedIn={signIn} />;
  if (!hasToken) return <LoginScreen system={status.data} onSignedIn={signIn} />;
  if (!session) {
    if (me.isError) return <FullPageError error={me.error} onRetry={() => void me.refetch()} />;
    return <Splash />;
  }

  return (
    <SessionContext.Provider value={session}>
      <AppRouter />
      <Modal
        opened={expired}
        onClose={() => undefined}
        withCloseButton={false}
        closeOnEscape={false}
        closeOnClickOutside={false}
        title="Your session has ended"
        size="sm"
        zIndex={1000}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Sign in again to carry on. The screen behind this dialog keeps everything you typed.
          </Text>
          <LoginForm initialUsername={session.user.username} timeZone={status.data.timeZone} onSignedIn={signIn} submitLabel="Sign in and continue" />
          <Button variant="subtle" size="xs" onClick={() => void logout()}>
            Sign in as someone else (discards this screen)
          </Button>
        </Stack>
      </Modal>
    </SessionContext.Provider>
  );
}
