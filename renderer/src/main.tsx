import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/app.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { NotConnected } from './app/NotConnected.tsx';
import { connectLiveData } from './lib/live-data.ts';
import { createWebBridge, takeLaunchKey } from './lib/web-bridge.ts';
import { theme } from './app/theme.ts';

async function start() {
  const root = createRoot(document.getElementById('root') ?? document.body);
  if (!window.notchify) {
    // Not inside Electron: the web host's bridge, if we have its launch key.
    const key = takeLaunchKey();
    if (key) {
      try {
        window.notchify = await createWebBridge(key);
      } catch {
        localStorage.removeItem('notchify.launchKey');
      }
    }
  }
  const bridge = window.notchify;
  if (!bridge) {
    root.render(
      <MantineProvider theme={theme}>
        <NotConnected />
      </MantineProvider>,
    );
    return;
  }
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 } },
  });
  connectLiveData(bridge, client);
  root.render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <Notifications position="bottom-right" limit={3} />
        <QueryClientProvider client={client}>
          <App />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

void start();
