import { type SparkApi } from '@spark/client';
import { createContext, useContext } from 'react';
import { allows, type Scope } from './session';

export interface Session {
  api: SparkApi;
  scope: Scope;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** Whether the signed-in key may do what needs `scope`, and the reason shown when it may not. */
export function useAllowed(scope: Scope): { allowed: boolean; reason?: string } {
  const session = useSession();
  return allows(session.scope, scope)
    ? { allowed: true }
    : { allowed: false, reason: `Needs the "${scope}" scope; this key has "${session.scope}"` };
}
