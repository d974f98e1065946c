import { Anchor, Card, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import { reportsCatalogue } from '../../../../src-shared/contracts/reports';
import type { FunctionKey } from '../../../../src-shared/permissions';
import { useRpcQuery } from '../../../api/hooks';
import { EmptyState, ErrorAlert } from '../../../components';

/**
 * A function's reports (daily / weekly / monthly, drilldowns, Excel export) live in the shared
 * report engine; this lists the ones of `functionKey` and opens them in the report runner.
 */
export function FunctionReports({ functionKey }: { functionKey: FunctionKey }) {
  const catalogue = useRpcQuery(reportsCatalogue, { module: 'homeServices' });
  if (catalogue.error) return <ErrorAlert error={catalogue.error} />;
  const reports = catalogue.data?.reports.filter((r) => r.functionKey === functionKey) ?? [];
  if (catalogue.data && reports.length === 0) return <EmptyState title="No reports for your role" description="Ask an administrator for view rights on this function." />;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      {reports.map((r) => (
        <Card key={r.key} withBorder>
          <Anchor component={Link} to={`/reports/${r.key}`} fw={600}>
            {r.label}
          </Anchor>
          <Text size="sm" c="dimmed" mt={4}>
            {r.description}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            By {r.timeLabel.toLowerCase()} · {r.measures.length} figures · drill down by {r.dimensions.map((d) => d.label.toLowerCase()).join(', ')}
            {r.canExport ? ' · Excel export' : ''}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
