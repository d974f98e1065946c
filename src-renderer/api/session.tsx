import { createContext, useContext } from 'react';
import type { z } from 'zod';
import type { SessionUser, systemStatus } from '../../src-shared/contracts/kernel';
import { permissionKey, type FunctionKey, type Verb } from '../../src-shared/permissions';

export type SystemStatus = z.infer<typeof systemStatus.output>;

export interface Session {
  user: SessionUser;
  /** The branch the app runs for: name, time zone, demo flag. */
  system: SystemStatus;
  can(fn: FunctionKey, verb: Verb): boolean;
  logout(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in user and what they may do; only available inside the signed-in app. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() is only available once a user has signed in');
  return session;
}

export function canDo(user: SessionUser, fn: FunctionKey, verb: Verb): boolean {
  return user.permissions.includes(permissionKey(fn, verb));
}
