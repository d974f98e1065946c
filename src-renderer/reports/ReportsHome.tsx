import { Anchor, Badge, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { MODULE_KEYS, type ModuleKey } from '../../src-shared/contracts/reports';
import { EmptyState, ErrorAlert, MODULE_LABELS, PageHeader } from '../components';
import { presetRange } from './dates';
import { reportPath } from './params';
import { useReportingCatalogue } from './useReporting';

/** `/reports`: every report this user may run, by module and function, each with its daily/weekly/monthly set. */
export function ReportsHome() {
  const [search] = useSearchParams();
  const only = search.get('module') as ModuleKey | null;
  const { query, reports, calendar } = useReportingCatalogue();
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const modules = MODULE_KEYS.filter((m) => !only || m === only);
  const visible = reports.filter((r) => modules.includes(r.module));
  const range = calendar ? presetRange('thisMonth', calendar.today, calendar.weekStart) : undefined;

  return (
    <>
      <PageHeader title="Reports" subtitle="Daily, weekly and monthly figures of every function you work with, down to the records behind them." />
      {query.isSuccess && visible.length === 0 ? (
        <Paper withBorder>
          <EmptyState title="No reports for your role" description="Reports belong to functions; ask an administrator for “view” on the function you need." />
        </Paper>
      ) : null}
      <Stack gap="xl">
        {modules.map((module) => {
          const mine = visible.filter((r) => r.module === module);
          if (mine.length === 0) return null;
          return (
            <Stack key={module} gap="sm">
              <Title order={3} fz="md">
                {MODULE_LABELS[module]}
              </Title>
              <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
                {mine.map((report) => (
                  <Card key={report.key} withBorder padding="md">
                    {/* The function above the title: beside it, long names ran out of the card. */}
                    <Badge variant="light" tt="none" maw="100%" mb={4}>
                      {report.functionLabel}
                    </Badge>
                    <Anchor component={Link} to={reportPath(report.key, range)} fw={600}>
                      {report.label}
                    </Anchor>
                    <Text size="sm" c="dimmed" mt={4}>
                      {report.description}
                    </Text>
                    <Group gap="md" mt="sm">
                      {(['day', 'week', 'month'] as const).map((period) => (
                        <Anchor key={period} component={Link} to={reportPath(report.key, { ...range, period })} size="sm">
                          {{ day: 'Daily', week: 'Weekly', month: 'Monthly' }[period]}
                        </Anchor>
                      ))}
                      <Text size="xs" c="dimmed">
                        by {report.dimensions.map((d) => d.label.toLowerCase()).join(', ')}
                      </Text>
                    </Group>
                  </Card>
                ))}
              </SimpleGrid>
            </Stack>
          );
        })}
      </Stack>
    </>
  );
}
