import { Button, Code, Paper, Stack } from '@mantine/core';
import { IconMapPinOff } from '@tabler/icons-react';
import { Link, Navigate, Outlet, createHashRouter, isRouteErrorResponse, useRouteError, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { useSession } from '../api/hooks';
import { ApprovalsInbox } from '../admin/approvals/ApprovalsInbox';
import { AuditViewer } from '../admin/audit/AuditViewer';
import { RolesMatrix } from '../admin/roles/RolesMatrix';
import { SettingsScreen } from '../admin/settings/SettingsScreen';
import { UsersAdmin } from '../admin/users/UsersAdmin';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert } from '../components/ErrorAlert';
import { ModuleDashboard, reportingRoutes } from '../reports/routes';
import { syncRoutes } from '../admin/sync';
import { functionEntries } from '../modules/registry';
import { AppLayout } from './AppLayout';
import { startPath } from './navigation';
import { RequirePermission } from './RequirePermission';

function StartRedirect() {
  const session = useSession();
  return <Navigate to={startPath(session)} replace />;
}

function NotFound() {
  return (
    <Paper withBorder p="lg">
      <EmptyState
        icon={<IconMapPinOff size={24} stroke={1.5} />}
        title="There is no screen at this address"
        description="The link may be from an older version. Use the navigation on the left, or press Ctrl+K and type what you are looking for."
        action={
          <Button component={Link} to="/" variant="light">
            Go to my start page
          </Button>
        }
      />
    </Paper>
  );
}

/** A screen that crashed shows what happened and a way back instead of a blank window. */
function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <Stack p="lg" maw={640}>
      <ErrorAlert error={new Error(message)} title="This screen stopped working" />
      <Code block>{message}</Code>
      <Button component="a" href="#/" variant="light" w="fit-content">
        Go to my start page
      </Button>
    </Stack>
  );
}

const routes: RouteObject[] = [
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, element: <StartRedirect /> },
          { path: 'energy', element: <ModuleDashboard module="energy" /> },
          { path: 'home-services', element: <ModuleDashboard module="homeServices" /> },
          ...reportingRoutes,
          ...functionEntries.map<RouteObject>((entry) => ({
            element: (
              <RequirePermission permission={entry.permission}>
                <Outlet />
              </RequirePermission>
            ),
            children: entry.routes,
          })),
          { path: 'approvals', element: <ApprovalsInbox /> },
          {
            path: 'audit',
            element: (
              <RequirePermission permission="audit:view">
                <AuditViewer />
              </RequirePermission>
            ),
          },
          {
            path: 'admin/users',
            element: (
              <RequirePermission permission="admin.users:view">
                <UsersAdmin />
              </RequirePermission>
            ),
          },
          {
            path: 'admin/roles',
            element: (
              <RequirePermission permission="admin.users:view">
                <RolesMatrix />
              </RequirePermission>
            ),
          },
          { path: 'admin/settings', element: <SettingsScreen /> },
          ...syncRoutes,
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
];

let router: ReturnType<typeof createHashRouter> | null = null;

/**
 * A hash router works both from file:// in the desktop shell and over http in browser mode, and
 * a deep link (`#/audit?entity=reading`) survives the sign-in screen untouched.
 */
export function AppRouter() {
  router ??= createHashRouter(routes);
  return <RouterProvider router={router} />;
}
