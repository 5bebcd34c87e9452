/**
 * The only IPC channels between the renderer and the main process, and the event names the
 * renderer may subscribe to. Kept free of zod so the sandboxed preload stays small.
 */
export const IPC_INVOKE_CHANNEL = 'notchify:invoke';
export const IPC_EVENT_CHANNEL = 'notchify:event';

export const EVENT_NAMES = ['data.changed', 'session.changed', 'sync.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}
