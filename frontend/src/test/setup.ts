// The one place the api module is mocked for Vitest: every view test gets these fakes and sets their answers
// per test (vi.mocked(api.cases.list).mockResolvedValue(...)). Fake because the Go services are not running
// under Vitest; the real ones are exercised by the Playwright E2E (frontend/e2e).
import { vi } from 'vitest';
import '../i18n';

vi.mock('../api', async (importOriginal) => {
  const real = await importOriginal<typeof import('../api')>();
  return {
    ...real,
    subscribe: vi.fn(() => () => undefined),
    has: vi.fn(() => true),
    system: { served: vi.fn(), forgetServed: vi.fn(), status: vi.fn(), openDemo: vi.fn(), mark: vi.fn() },
    cases: { get: vi.fn() },
    board: { get: vi.fn(), window: vi.fn(async () => []), move: vi.fn(), views: vi.fn(async () => []), saveView: vi.fn(), deleteView: vi.fn() },
    review: { get: vi.fn(), csv: vi.fn() },
    exportsApi: { save: vi.fn() },
    shifts: { roster: vi.fn(async () => []), myCases: vi.fn(async () => []), generate: vi.fn(), signOff: vi.fn(), acknowledge: vi.fn(), reassign: vi.fn(), history: vi.fn(async () => []), escalateOverdue: vi.fn(async () => []) },
    engine: { explain: vi.fn(async () => ({ case_id: 0, classification: { type: '', subtype: '', level: 0, level_reasons: [], flags: [] }, level: 0, level_why: '', clocks: [] })) },
    replies: { scripts: vi.fn(async () => []), check: vi.fn(async () => []), record: vi.fn() },
  };
});

// jsdom lacks the layout APIs Ant Design and the virtual list touch; these minimal versions answer "no match"
// and "never resizes", which is what a zero-size jsdom page is.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false, media: query, onchange: null,
    addListener: () => undefined, removeListener: () => undefined,
    addEventListener: () => undefined, removeEventListener: () => undefined, dispatchEvent: () => false,
  }),
});
class NoResize {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
window.ResizeObserver = window.ResizeObserver ?? NoResize;
// jsdom lays nothing out (every box is 0x0); give elements a window-sized box so virtual lists render rows.
for (const [prop, px] of [['offsetHeight', 600], ['offsetWidth', 300], ['clientHeight', 600], ['clientWidth', 300]] as const) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => px });
}
// jsdom computes no pseudo-element styles and logs "Not implemented" each time one is asked for (Ant
// Design measures the scroll bar that way); the element's own style is what it would answer anyway.
const computedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (elt: Element) => computedStyle(elt);
