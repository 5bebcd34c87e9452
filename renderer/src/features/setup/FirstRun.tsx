import { useState } from 'react';
import { ConnectScreen } from '../sync/ConnectScreen.tsx';
import { SetupScreen } from './SetupScreen.tsx';

/** A new workstation: connect to the brokerage's sync server, or set up a workspace of its own. */
export function FirstRun() {
  const [mode, setMode] = useState<'connect' | 'setup'>('setup');
  return mode === 'connect' ? <ConnectScreen onSetUpInstead={() => setMode('setup')} /> : <SetupScreen onConnectInstead={() => setMode('connect')} />;
}
