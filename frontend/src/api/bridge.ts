// The bridge to the Go side. Together with the other files of src/api this is the only code that touches the
// generated Wails bindings (wailsjs/go/app/*) or the Wails runtime.
import { EventsOn } from '../../wailsjs/runtime/runtime';

type BoundMethod = (...args: unknown[]) => Promise<unknown>;
type BoundServices = Record<string, Record<string, BoundMethod | undefined> | undefined>;

declare global {
  interface Window {
    go?: { app?: BoundServices };
  }
}

/** Thrown when the running backend does not offer a service method (an older binary, or a feature not built in). */
export class NotAvailableError extends Error {
  constructor(readonly service: string, readonly method: string) {
    super(`${service}.${method} is not available in this build`);
    this.name = 'NotAvailableError';
  }
}

/** has reports whether the running backend binds service.method; views use it to hide what cannot work. */
export function has(service: string, method: string): boolean {
  return typeof window.go?.app?.[service]?.[method] === 'function';
}

/**
 * call invokes a bound method by name. The generated modules do exactly this (window.go.app.S.M(...)); going
 * through it for services that other parts of the team are still adding keeps the frontend compiling whatever
 * subset of services the Go side has, and turns a missing one into a clear NotAvailableError.
 */
export async function call<T>(service: string, method: string, ...args: unknown[]): Promise<T> {
  const fn = window.go?.app?.[service]?.[method];
  if (typeof fn !== 'function') throw new NotAvailableError(service, method);
  return (await fn(...args)) as T;
}

/** Error text of whatever a bound call rejected with (Wails rejects with a plain string). */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  return JSON.stringify(e);
}

/**
 * subscribe listens to Wails events (names `noun:verb`) and calls handler at most once per `ms`, trailing, so a
 * burst of deliveries (a sync of 500 messages) causes one refresh rather than 500.
 */
export function subscribe(names: string[], handler: () => void, ms = 750): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    handler();
  };
  const onEvent = () => {
    if (timer !== undefined) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(fire, wait);
  };
  if (typeof (window as unknown as { runtime?: unknown }).runtime === 'undefined') {
    return () => undefined; // no Wails runtime (a plain browser tab): nothing will ever be emitted
  }
  const offs = names.map((n) => EventsOn(n, onEvent));
  return () => {
    offs.forEach((off) => off());
    if (timer !== undefined) clearTimeout(timer);
  };
}
