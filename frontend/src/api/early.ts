// What the first screen needs, the workspace's status and then the sign-in state, comes with the page: the
// backend writes it in (app/boot.go), so the first render can already be the sign-in form. Where it could
// not (the workspace was not open yet when the page was served), the first screen asks over the bridge as
// usual. Served answers are read by the first screen's initial state (twice, under StrictMode) and
// forgotten once it is up.
import type { Status } from './types';
import type { AuthState } from './people';

interface Served {
  status: Status;
  auth: AuthState;
}

declare global {
  interface Window {
    __COCKPIT_BOOT__?: Served;
  }
}

/** The answer the page was served with for key; undefined when there was none or after forgetServed. */
export const servedAnswer = <K extends keyof Served>(key: K): Served[K] | undefined => window.__COCKPIT_BOOT__?.[key];

/** Called once the first screen has been put up: later mounts must ask, the served answers are old by then. */
export function forgetServed(): void {
  delete window.__COCKPIT_BOOT__;
}
