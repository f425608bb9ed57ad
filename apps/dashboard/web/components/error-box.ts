import { ApiRequestError } from '@trainyard/client';
import { h } from '../dom.ts';
import { describeDetail } from './error-detail.ts';

/** An error as a person should read it: the API's message, then its details (path, or column with counts and rows). */
export function errorBox(error: unknown, details = true): HTMLElement {
  if (error instanceof ApiRequestError) {
    return h(
      'div',
      { class: 'error-box', role: 'alert' },
      h('strong', null, error.message),
      h('span', { class: 'muted' }, ` (${error.code})`),
      details && error.details.length > 0
        ? h('ul', null, ...error.details.map((detail) => h('li', null, describeDetail(detail))))
        : null,
    );
  }
  return h('div', { class: 'error-box', role: 'alert' }, h('strong', null, error instanceof Error ? error.message : String(error)));
}
