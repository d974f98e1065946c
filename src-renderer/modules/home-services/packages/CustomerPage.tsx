import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { customerPackages } from '../../../../src-shared/contracts/home-services/packages';
import { useRpcQuery, useSession } from '../../../api/hooks';
import { DataTable, ErrorAlert, MoneyText, PageHeader } from '../../../components';
import { FunctionTabs } from './FunctionTabs';
import { RedemptionTable, holdingStatus } from './HoldingsPages';
import { PKG_BASE, SUB_BASE } from './shared';

/** The customer's view: what they hold, what is left, when it expires, and every redemption with its visit. */
export function CustomerPackagesPage() {
  const { customerId = '' } = useParams();
  const navigate = useNavigate();
  const session = useSession();
  const data = useRpcQuery(customerPackages, { customerId });
  if (data.error) return <ErrorAlert error={data.error} onRetry={() => void data.refetch()} />;
  if (!data.data) return null;
  const { customer, holdings, redemptions, totals } = data.data;
  return (
    <>
      <PageHeader
        title={`${customer.customerNo} · ${customer.name}`}
        subtitle={`${customer.address}${customer.phone ? ` · ${customer.phone}` : ''}`}
        actions={
          <>
            {session.can('homeServices.subscriptions', 'view') ? (
              <Button variant="default" component={Link} to={`${SUB_BASE}?customerId=${customer.id}`}>
                Subscriptions
              </Button>
            ) : null}
            {session.can('homeServices.packages', 'create') ? (
              <Button component={Link} to={`${PKG_BASE}/counter`}>
                Sell a package
              </Button>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            Packages in use
          </Text>
          <Title order={3}>{holdings.filter((h) => h.status === 'active').length}</Title>
        </Paper>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            Sessions left
          </Text>
          <Title order={3} aria-label="Sessions left">
            {totals.sessionsRemaining}
          </Title>
        </Paper>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            Value still to be used
          </Text>
          <Title order={3}>
            <MoneyText value={totals.liabilityMinor} inherit />
          </Title>
        </Paper>
      </SimpleGrid>
      <Stack gap="md">
        <div>
          <Title order={3} fz="h5" mb="xs">
            Packages
          </Title>
          <DataTable
            label="Packages of the customer"
            rows={holdings}
            rowKey="id"
            onOpen={(h) => navigate(`${PKG_BASE}/holdings/${h.id}`)}
            empty={<Text c="dimmed" p="md">{customer.name} holds no packages yet.</Text>}
            columns={[
              { key: 'holdingNo', header: 'No.' },
              { key: 'name', header: 'Package' },
              { key: 'status', header: 'Status', render: holdingStatus },
              { key: 'left', header: 'Left', render: (h) => (h.status === 'active' ? h.balances.map((b) => `${b.remaining} × ${b.label}`).join('; ') : '—') },
              { key: 'expiresOn', header: 'Last day', render: (h) => h.expiresOn ?? 'from first use' },
              { key: 'liabilityMinor', header: 'Outstanding', align: 'right', render: (h) => <MoneyText value={h.liabilityMinor} /> },
            ]}
          />
        </div>
        <div>
          <Group justify="space-between" mb="xs">
            <Title order={3} fz="h5">
              Redemptions
            </Title>
            <Anchor component={Link} to={`${PKG_BASE}/redemptions`} size="sm">
              All redemptions
            </Anchor>
          </Group>
          <Paper withBorder p="xs">
            <RedemptionTable rows={redemptions} />
          </Paper>
        </div>
      </Stack>
    </>
  );
}
