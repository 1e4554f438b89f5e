// What the first screen needs, the workspace's status and then the sign-in state, usually comes with the page:
// the backend writes it in (app/boot.go), so the first render can already be the sign-in form. Where it
// could not (the workspace was not open yet when the page was served, or a dev server served the page),
// both are asked for as the script starts, side by side (askEarly), instead of one after the other from the
// first renders. An early answer is handed out once; a failed one is forgotten, so that the
// caller asks again and sees the error itself. Served answers are read by the first screen's initial state
// (twice, under StrictMode) and forgotten once it is up.
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

const answers = new Map<string, Promise<unknown>>();

export function askEarly(key: keyof Served, ask: () => Promise<unknown>): void {
  if (servedAnswer(key) === undefined) answers.set(key, ask().catch(() => undefined));
}

export async function takeEarly<T>(key: keyof Served): Promise<T | undefined> {
  const answer = answers.get(key);
  answers.delete(key);
  return (await answer) as T | undefined;
}
