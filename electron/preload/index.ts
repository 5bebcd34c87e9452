import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, isEventName } from '../../shared/contract/channels.ts';
import type { NotchifyBridge } from '../../shared/contract/bridge.ts';
import type { Reply } from '../../shared/contract/reply.ts';

/**
 * The sandboxed preload: exposes `window.notchify` with exactly `invoke` and `on`, never
 * ipcRenderer itself. The main process checks every call again (sender, name, input, permission).
 */
export const bridge: NotchifyBridge = {
  invoke(name, input) {
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, input) as Promise<Reply<unknown>>;
  },
  on(event, callback) {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`);
    const listener = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) callback(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('notchify', bridge);
