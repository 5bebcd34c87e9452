import { createContext, useContext } from 'react';
import type { SessionUser } from '../../../shared/contract/session.ts';
import type { Permission } from '../../../shared/domain/roles.ts';

export interface SessionInfo {
  user: SessionUser;
  workspaceName: string;
}

export const SessionContext = createContext<SessionInfo | null>(null);

export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in screen');
  return session;
}

/** Whether the signed-in user's roles hold a permission: the UI hides what they can't do. */
export function useCan(permission: Permission): boolean {
  return useSession().user.permissions.includes(permission);
}
