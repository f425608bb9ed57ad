import { ApiRequestError } from '@trainyard/client';
import { session } from './session.ts';

/** What a route renders: an element, and what to release when the user leaves it. */
export interface View {
  title: string;
  element: HTMLElement;
  dispose?: () => void;
}

export interface Route {
  pattern: RegExp;
  render: (params: string[], query: URLSearchParams) => View;
  /** Reachable without an API key. */
  public?: boolean;
}

let routes: Route[] = [];
let outlet: HTMLElement;
let current: View | null = null;
let onChange: (path: string) => void = () => undefined;

export function startRouter(target: HTMLElement, table: Route[], changed: (path: string) => void): void {
  outlet = target;
  routes = table;
  onChange = changed;
  window.addEventListener('popstate', () => render());
  // In-app links navigate without a reload; API links (/v1, /docs) and downloads stay ordinary.
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element).closest?.('a');
    if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const href = anchor.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('/v1') || href.startsWith('/docs') || anchor.hasAttribute('download') || anchor.target) return;
    event.preventDefault();
    navigate(href);
  });
  render();
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

/** Sends the user to sign in (keeping where they were) when the key is missing or no longer valid. */
export function handleAuthError(error: unknown): boolean {
  if (!(error instanceof ApiRequestError) || error.status !== 401) return false;
  session.signOut();
  navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  return true;
}

function render(): void {
  current?.dispose?.();
  current = null;
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    if (!route.public && session.apiKey === null) {
      navigate(`/sign-in?next=${encodeURIComponent(path + location.search)}`, { replace: true });
      return;
    }
    current = route.render(match.slice(1).map(decodeURIComponent), query);
    break;
  }
  if (current === null) {
    const element = document.createElement('section');
    element.innerHTML = '<h1>Not found</h1><p><a href="/">Back to the jobs</a></p>';
    current = { title: 'Not found', element };
  }
  document.title = `${current.title} · Trainyard`;
  outlet.replaceChildren(current.element);
  onChange(path);
}
