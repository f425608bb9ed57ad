import { ApiRequestError } from '@trainyard/client';
import { h } from '../dom.ts';

/** An error as a person should read it: the API's message, then its details (path, row, column). */
export function errorBox(error: unknown, details = true): HTMLElement {
  if (error instanceof ApiRequestError) {
    return h(
      'div',
      { class: 'error-box', role: 'alert' },
      h('strong', null, error.message),
      h('span', { class: 'muted' }, ` (${error.code})`),
      details && error.details.length > 0
        ? h('ul', null, ...error.details.map((detail) => h('li', null, [detail.path, detail.row && `row ${detail.row}`, detail.column].filter(Boolean).join(', ') + (detail.path || detail.row || detail.column ? ': ' : '') + detail.message)))
        : null,
    );
  }
  return h('div', { class: 'error-box', role: 'alert' }, h('strong', null, error instanceof Error ? error.message : String(error)));
}
