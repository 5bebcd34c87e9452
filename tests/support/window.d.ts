import type { NotchifyBridge } from '../../shared/contract/bridge.ts';

declare global {
  interface Window {
    notchify?: NotchifyBridge;
  }
}
