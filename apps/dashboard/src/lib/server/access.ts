import { authConfig, type AuthConfig } from './auth.ts';
import { Sessions } from './sessions.ts';
import { SignInThrottle } from './throttle.ts';

/** The login and its state: one per process, shared by the hooks and the session route. */
export interface Access {
  auth: AuthConfig;
  sessions: Sessions;
  signIns: SignInThrottle;
}

let current: Access | null | undefined;

/**
 * The dashboard's access control, or null when auth is off. Read from the environment once;
 * a weak or partial setup throws a ConfigError (the `init` hook turns it into an exit at start).
 */
export function access(): Access | null {
  if (current === undefined) {
    const auth = authConfig();
    current = auth && { auth, sessions: new Sessions(auth), signIns: new SignInThrottle() };
  }
  return current;
}
