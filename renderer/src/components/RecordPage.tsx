import { Anchor, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { In, Out } from '../../../shared/contract/index.ts';
import type { EntityName } from '../../../shared/domain/port.ts';
import { useCommandQuery } from '../lib/api.ts';
import { RecordHistory } from './RecordHistory.tsx';
import classes from './form/RecordPage.module.css';

type RecordQuery = 'customers.get' | 'carriers.get' | 'loads.get';

interface LoaderProps<N extends RecordQuery> {
  query: N;
  back: { to: string; label: string };
  /** Renders the record (or the blank "new" form when the route has no id). */
  children(row: Out<N> | null): ReactNode;
}

/** Loads the record named by the route's :id; `/new` routes render with null. */
export function RecordLoader<N extends RecordQuery>({ query, back, children }: LoaderProps<N>) {
  const { id } = useParams();
  const existing = useCommandQuery(query, { id: id ?? '' } as In<N>, { enabled: id !== undefined });
  if (id !== undefined && existing.isPending) return <Text p="md">Loading…</Text>;
  if (id !== undefined && existing.isError) {
    return (
      <Stack p="md">
        <Text c="red">{existing.error.message}</Text>
        <Anchor component={Link} to={back.to}>
          Back to {back.label.toLowerCase()}
        </Anchor>
      </Stack>
    );
  }
  return <>{children((existing.data) ?? null)}</>;
}

interface LayoutProps {
  back: { to: string; label: string };
  title: string;
  badges?: ReactNode;
  actions?: ReactNode;
  /** The record's history tab; absent for a record not saved yet. */
  history: { entity: EntityName; id: string } | null;
  /** Tabs between Details and History (a load's timeline). */
  tabs?: { value: string; label: string; content: ReactNode }[];
  /** Shown above the tabs (a load's summary strip). */
  summary?: ReactNode;
  children: ReactNode;
}

/** A record screen: a bar with the way back, the title, status badges and actions; Details and History tabs. */
export function RecordLayout({ back, title, badges, actions, history, tabs = [], summary, children }: LayoutProps) {
  return (
    <Stack gap={0} h="100%">
      <Group className={classes.bar} justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Anchor component={Link} to={back.to} size="sm">
            ← {back.label}
          </Anchor>
          <Title order={1} size="h3">
            {title}
          </Title>
          {badges}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {actions}
        </Group>
      </Group>
      {summary}
      <Tabs defaultValue="details" className={classes.tabs} keepMounted={false}>
        <Tabs.List px="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          {tabs.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
          {history ? <Tabs.Tab value="history">History</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="details" className={classes.panel}>
          {children}
        </Tabs.Panel>
        {tabs.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} className={classes.panel}>
            {t.content}
          </Tabs.Panel>
        ))}
        {history ? (
          <Tabs.Panel value="history" className={classes.panel}>
            <RecordHistory entity={history.entity} id={history.id} />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </Stack>
  );
}
