// "g then a letter" jumps to a view (g b board, g s shift, g r review ...), for supervisors who work from the
// keyboard; the letters come from the view registry. Typing in a field or a dialog never triggers it.
import { useEffect } from 'react';

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/** useGoKeys calls go(view) after "g" followed within a second by a view's hotkey. */
export function useGoKeys(hotkeys: Record<string, string>, go: (view: string) => void): void {
  useEffect(() => {
    let armed = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
      if (e.key === 'g') {
        armed = Date.now();
        return;
      }
      const view = hotkeys[e.key];
      if (armed && Date.now() - armed < 1000 && view) {
        e.preventDefault();
        e.stopImmediatePropagation(); // "g a" must not also reach the board's "a" (assign)
        go(view);
      }
      armed = 0;
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [hotkeys, go]);
}
