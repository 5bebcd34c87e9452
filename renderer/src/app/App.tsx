import { Alert, Center, Loader } from '@mantine/core';
import { Navigate, RouterProvider, createHashRouter } from 'react-router';
import { useCommandQuery } from '../lib/api.ts';
import { SessionContext } from '../lib/session.ts';
import { SignInScreen } from '../features/session/SignInScreen.tsx';
import { Shell } from './Shell.tsx';
import { CustomersPage } from '../features/customers/CustomersPage.tsx';
import { CustomerPage } from '../features/customers/CustomerPage.tsx';
import { CarriersPage } from '../features/carriers/CarriersPage.tsx';
import { CarrierPage } from '../features/carriers/CarrierPage.tsx';
import { UsersPage } from '../features/admin/UsersPage.tsx';
import { NotFound } from './NotFound.tsx';
import { BoardPage } from '../features/loads/BoardPage.tsx';
import { LoadPage } from '../features/loads/LoadPage.tsx';
import { SyncPage } from '../features/sync/SyncPage.tsx';
import { FirstRun } from '../features/setup/FirstRun.tsx';

const router = createHashRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <Navigate to="/loads" replace /> },
      { path: 'loads', element: <BoardPage /> },
      { path: 'loads/new', element: <LoadPage /> },
      { path: 'loads/:id', element: <LoadPage /> },
      { path: 'customers', element: <CustomersPage /> },
      { path: 'customers/new', element: <CustomerPage /> },
      { path: 'customers/:id', element: <CustomerPage /> },
      { path: 'carriers', element: <CarriersPage /> },
      { path: 'carriers/new', element: <CarrierPage /> },
      { path: 'carriers/:id', element: <CarrierPage /> },
      { path: 'admin/users', element: <UsersPage /> },
      { path: 'sync', element: <SyncPage /> },
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
