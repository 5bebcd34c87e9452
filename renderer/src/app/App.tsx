import { Alert, Center, Loader } from '@mantine/core';
import { Navigate, RouterProvider, createHashRouter } from 'react-router';
import { useCommandQuery } from '../lib/api.ts';
import { SessionContext } from '../lib/session.ts';
import { SignInScreen } from '../features/session/SignInScreen.tsx';
import { Shell } from './Shell.tsx';
import { CustomersPage } from '../features/customers/CustomersPage.tsx';
import { CarriersPage } from '../features/carriers/CarriersPage.tsx';
import { NotFound } from './NotFound.tsx';
import { BoardPage } from '../features/loads/BoardPage.tsx';
import { FirstRun } from '../features/setup/FirstRun.tsx';

// The board is the first screen; record screens, users and sync load when first opened, so
// starting the app parses less.
const loadPage = async () => ({ Component: (await import('../features/loads/LoadPage.tsx')).LoadPage });
const customerPage = async () => ({ Component: (await import('../features/customers/CustomerPage.tsx')).CustomerPage });
const carrierPage = async () => ({ Component: (await import('../features/carriers/CarrierPage.tsx')).CarrierPage });

const router = createHashRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <Navigate to="/loads" replace /> },
      { path: 'loads', element: <BoardPage /> },
      { path: 'loads/new', lazy: loadPage },
      { path: 'loads/:id', lazy: loadPage },
      { path: 'customers', element: <CustomersPage /> },
      { path: 'customers/new', lazy: customerPage },
      { path: 'customers/:id', lazy: customerPage },
      { path: 'carriers', element: <CarriersPage /> },
      { path: 'carriers/new', lazy: carrierPage },
      { path: 'carriers/:id', lazy: carrierPage },
      { path: 'admin/users', lazy: async () => ({ Component: (await import('../features/admin/UsersPage.tsx')).UsersPage }) },
      { path: 'sync', lazy: async () => ({ Component: (await import('../features/sync/SyncPage.tsx')).SyncPage }) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

/** First run → set-up; signed out → sign-in; otherwise the app. */
export function App() {
  const session = useCommandQuery('session.current', {}, { staleTime: Infinity });
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Starting Notchify" />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh">
        <Alert color="red" title="Notchify could not start">
          {session.error.message}
        </Alert>
      </Center>
    );
  }
  const { workspace, user } = session.data;
  if (!workspace) return <FirstRun />;
  if (!user) return <SignInScreen workspaceName={workspace.name} />;
  return (
    <SessionContext.Provider value={{ user, workspaceName: workspace.name }}>
      <RouterProvider router={router} />
    </SessionContext.Provider>
  );
}
