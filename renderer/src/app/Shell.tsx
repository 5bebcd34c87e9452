import { AppShell, Box, Group, Menu, NavLink, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { ROLE_LABELS } from '../../../shared/domain/roles.ts';
import { invoke } from '../lib/api.ts';
import { useCan, useSession } from '../lib/session.ts';
import { ChangePasswordDialog } from '../features/session/ChangePasswordDialog.tsx';
import { SyncIndicator } from '../features/sync/SyncIndicator.tsx';
import classes from './Shell.module.css';

interface NavItem {
  to: string;
  label: string;
  shortcut: string;
}

const OPERATIONS: NavItem[] = [{ to: '/loads', label: 'Dispatch board', shortcut: 'Alt+1' }];

const MASTER_DATA: NavItem[] = [
  { to: '/customers', label: 'Customers', shortcut: 'Alt+2' },
  { to: '/carriers', label: 'Carriers', shortcut: 'Alt+3' },
];

export function Shell() {
  const { user, workspaceName } = useSession();
  const canManageUsers = useCan('users.manage');
  const location = useLocation();
  const navigate = useNavigate();
  const [changingPassword, setChangingPassword] = useState(false);

  useHotkeys([
    ['alt+1', () => void navigate('/loads')],
    ['alt+2', () => void navigate('/customers')],
    ['alt+3', () => void navigate('/carriers')],
  ]);

  const item = (nav: NavItem) => (
    <NavLink
      key={nav.to}
      component={Link}
      to={nav.to}
      label={nav.label}
      rightSection={<Text size="xs" c="dimmed">{nav.shortcut}</Text>}
      active={location.pathname.startsWith(nav.to)}
      className={classes.navLink}
    />
  );

  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 220, breakpoint: 0 }} padding={0}>
      <AppShell.Header className={classes.header}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Box className={classes.logo} aria-hidden>
              N
            </Box>
            <Text fw={700} c="white">
              Notchify
            </Text>
            <Text c="gray.4" size="sm">
              {workspaceName}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
          <SyncIndicator />
          <Menu position="bottom-end" shadow="md" width={240}>
            <Menu.Target>
              <UnstyledButton aria-label={`Account: ${user.name}`} className={classes.account}>
                <Group gap="xs" wrap="nowrap">
                  <Stack gap={0} align="flex-end">
                    <Text size="sm" c="white" fw={600}>
                      {user.name}
                    </Text>
                    <Text size="xs" c="gray.4">
                      {user.roles.map((r) => ROLE_LABELS[r]).join(', ')}
                    </Text>
                  </Stack>
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{user.email}</Menu.Label>
              <Menu.Item onClick={() => setChangingPassword(true)}>Change password</Menu.Item>
              <Menu.Item color="red" onClick={() => void invoke('session.signOut', {})}>
                Sign out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar className={classes.navbar} aria-label="Main">
        <ScrollArea>
          <Text className={classes.section}>Operations</Text>
          {OPERATIONS.map(item)}
          <Text className={classes.section}>Master data</Text>
          {MASTER_DATA.map(item)}
          {canManageUsers ? (
            <>
              <Text className={classes.section}>Administration</Text>
              <NavLink component={Link} to="/admin/users" label="Users and roles" active={location.pathname.startsWith('/admin/users')} className={classes.navLink} />
            </>
          ) : null}
        </ScrollArea>
        <Text className={classes.section}>Workstation</Text>
        <NavLink component={Link} to="/sync" label="Sync" active={location.pathname.startsWith('/sync')} className={classes.navLink} />
      </AppShell.Navbar>
      <AppShell.Main className={classes.main}>
        <Outlet />
      </AppShell.Main>
      <ChangePasswordDialog opened={changingPassword} onClose={() => setChangingPassword(false)} />
    </AppShell>
  );
}
