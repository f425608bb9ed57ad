import type { JobStatus } from '@trainyard/client';
import { h } from '../dom.ts';

export function statusBadge(status: JobStatus): HTMLElement {
  return h('span', { class: `badge status-${status}`, dataset: { status } }, status);
}

/** A bar filled to `fraction` (0..1), with a caption inside. */
export function progressBar(fraction: number, caption: string, status?: JobStatus): HTMLElement {
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;
  return h(
    'div',
    { class: `progress ${status ? `progress-${status}` : ''}`, role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(percent) },
    h('div', { class: 'progress-fill', style: `width: ${percent}%` }),
    h('span', { class: 'progress-caption' }, caption),
  );
}
