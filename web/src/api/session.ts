// Who is logged in: tokens and the member, in memory and in this tab's sessionStorage (a reload
// keeps the login, closing the tab ends it). Components follow it with useSession().
import { useEffect, useState } from 'preact/hooks';
import type { Me } from './types.ts';

export interface Session {
  accessToken: string;
  refreshToken: string;
  me: Me;
}

const KEY = 'marquee.session';
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const stored = sessionStorage.getItem(KEY);
    return stored ? (JSON.parse(stored) as Session) : null;
  } catch {
    return null;
  }
}

export const getSession = () => current;

export function setSession(session: Session | null): void {
  current = session;
  try {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage may be off (private mode): the session still lives in memory
  }
  for (const listener of listeners) listener();
}

export function useSession(): Session | null {
  const [session, update] = useState(current);
  useEffect(() => {
    const listener = () => update(current);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return session;
}
