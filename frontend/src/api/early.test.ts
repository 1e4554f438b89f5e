import { afterEach, describe, expect, it, vi } from 'vitest';
import { askEarly, forgetServed, servedAnswer, takeEarly } from './early';
import type { AuthState } from './people';
import type { Status } from './types';

const status: Status = { version: '1', dataDir: '/d', open: true, error: '', zone: 'Asia/Shanghai', demo: false };
const auth: AuthState = { open: true, needsSetup: false, signedIn: false, locked: false, user: null, idleMinutes: 15, seesPii: false };

afterEach(() => forgetServed());

describe('early answers', () => {
  it('hands an early answer out once, and forgets a failed one so the caller asks itself', async () => {
    askEarly('status', async () => status);
    expect(await takeEarly('status')).toEqual(status);
    expect(await takeEarly('status')).toBeUndefined();
    askEarly('auth', async () => Promise.reject(new Error('bridge down')));
    expect(await takeEarly('auth')).toBeUndefined();
  });

  it('does not ask for what the page was served with, and drops the served answers once told', async () => {
    window.__COCKPIT_BOOT__ = { status, auth };
    const ask = vi.fn(async () => status);
    askEarly('status', ask);
    expect(ask).not.toHaveBeenCalled();
    expect(servedAnswer('status')).toEqual(status);
    expect(servedAnswer('status')).toEqual(status); // read twice under StrictMode
    forgetServed();
    expect(servedAnswer('auth')).toBeUndefined();
  });
});
