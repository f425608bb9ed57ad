import { h, replace } from '../dom.ts';

/** What the banner needs from `GET /readyz`'s `engine`: the backend in use, and a faster one with how to get it. */
export interface FasterBackend {
  backend: string;
  faster: string;
  how: string;
}

/** The faster backend `/readyz` names, or null (none, or a service that does not say: the field is recent). */
export function fasterBackend(readyz: unknown): FasterBackend | null {
  const engine = (readyz as { engine?: { backend?: unknown; faster?: { backend?: unknown; how?: unknown } | null } } | null)?.engine;
  const faster = engine?.faster;
  if (typeof engine?.backend !== 'string' || typeof faster?.backend !== 'string' || typeof faster.how !== 'string') return null;
  return { backend: engine.backend, faster: faster.backend, how: faster.how };
}

/**
 * A line under the header when the service's engine runs on a slower backend than it could, with the API's
 * own words on how to get the faster one. Hidden otherwise, and when /readyz does not answer. (/readyz speaks
 * for the API's process; workers on other machines may differ.)
 */
export function engineBanner(): HTMLElement {
  const banner = h('div', { class: 'engine-banner', role: 'status', hidden: true });
  fetch('/readyz', { headers: { Accept: 'application/json' } })
    .then((response) => (response.ok ? response.json() : null))
    .then((body: unknown) => {
      const engine = fasterBackend(body);
      if (engine === null) return;
      banner.dataset.backend = engine.backend;
      banner.dataset.faster = engine.faster;
      replace(
        banner,
        'The engine backend in use is ', h('strong', null, engine.backend), '; ', h('strong', null, engine.faster), ' is faster: ',
        h('code', { class: 'engine-how' }, engine.how),
      );
      banner.hidden = false;
    })
    .catch(() => undefined); // a banner is a hint: without /readyz there is none
  return banner;
}
