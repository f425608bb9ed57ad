import type { Job } from '@trainyard/client';
import { h } from '../dom.ts';

/**
 * On a replay: which job it trains again, and once it has succeeded whether its final weights equal that
 * job's byte for byte. Null for a job that is not a replay.
 */
export function replayNote(job: Job): HTMLElement | null {
  if (job.replayOf === null) return null;
  const original = h('a', { href: `/jobs/${encodeURIComponent(job.replayOf)}`, class: 'mono replay-of' }, job.replayOf);
  const verdict = job.reproduces === null
    ? null
    : job.reproduces.identical
      ? h('span', { class: 'badge reproduces identical', dataset: { identical: 'true' } }, 'reproduces: identical ✓')
      : h('span', { class: 'badge reproduces differs', dataset: { identical: 'false' } }, 'reproduces: differs ✗');
  return h('span', { class: 'replay-note' }, 'Replay of ', original, verdict ? ' ' : null, verdict);
}
