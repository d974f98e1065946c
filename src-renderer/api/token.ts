/**
 * The session token lives in sessionStorage: it survives a reload of the window (F5 during a
 * long shift) but not closing it, and it is never shared with another window or browser tab.
 */
const TOKEN_KEY = 'plug1.session';

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

type Listener = () => void;
const sessionEndedListeners = new Set<Listener>();

/**
 * The session provider listens here and shows the sign-in dialog *over* the screen instead of
 * replacing it, so whatever the user was typing is still there once they are back in.
 */
export function onSessionEnded(listener: Listener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

export function announceSessionEnded(): void {
  clearToken();
  for (const listener of sessionEndedListeners) listener();
}
