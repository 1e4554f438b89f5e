import { afterEach, describe, expect, it } from 'vitest';
import { forgetServed, servedAnswer } from './early';
import type { AuthState } from './people';
import type { Status } from './types';

const status: Status = { version: '1', dataDir: '/d', open: true, error: '', zone: 'Asia/Shanghai', demo: false };
const auth: AuthState = { open: true, needsSetup: false, signedIn: false, locked: false, user: null, idleMinutes: 15, seesPii: false };

afterEach(() => forgetServed());

describe('served answers', () => {
  it('reads what the page was served with, and drops it once told', () => {
    expect(servedAnswer('status')).toBeUndefined();
    window.__COCKPIT_BOOT__ = { status, auth };
    expect(servedAnswer('status')).toEqual(status);
    expect(servedAnswer('status')).toEqual(status); // read twice under StrictMode
    forgetServed();
    expect(servedAnswer('auth')).toBeUndefined();
  });
});
