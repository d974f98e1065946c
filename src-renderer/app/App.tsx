import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RpcError } from '../api/client';
import { AuthGate } from './AuthGate';
import { theme } from './theme';

/**
 * Pipeline errors are answers, not glitches: retrying a FORBIDDEN or a VALIDATION changes
 * nothing. Only an unreachable service (a restart in progress) is worth one more try.
 */
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (failures, error) => failures < 2 && (!(error instanceof RpcError) || error.unreachable),
    },
    mutations: { retry: false },
  },
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <Notifications position="top-right" limit={4} zIndex={2000} />
          <AuthGate />
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
