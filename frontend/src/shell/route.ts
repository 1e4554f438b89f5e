// A tiny hash router: #/<view>[/<param>]. Hash routes survive a WebView reload and let tests deep-link;
// five screens do not need a routing library.
import { useEffect, useState } from 'react';

export interface Route {
  view: string;
  param: string;
}

export function parseHash(hash: string, fallback: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const view = decodeURIComponent(parts[0] ?? '') || fallback;
  const param = decodeURIComponent(parts.slice(1).join('/'));
  return { view, param };
}

export function navigate(view: string, param?: string | number): void {
  window.location.hash = `#/${encodeURIComponent(view)}${param === undefined ? '' : `/${encodeURIComponent(String(param))}`}`;
}

export function useRoute(fallback: string): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash, fallback));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash, fallback));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, [fallback]);
  return route;
}
