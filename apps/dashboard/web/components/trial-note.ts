import type { Job, TrainyardClient } from '@trainyard/client';
import { h } from '../dom.ts';
import { sweepApi } from '../sweeps/sweep-api.ts';
import { formatParameter } from './parameter-space.ts';

/**
 * On a sweep's trial: `Trial N of sweep <link>` and the parameters it was given. The job does not carry its
 * index: it is read from the sweep's leaderboard (the note shows without it until then). Null for other jobs.
 */
export function trialNote(client: TrainyardClient, job: Job, signal: AbortSignal): HTMLElement | null {
  if (job.sweep === null) return null;
  const index = h('span', { class: 'trial-index' });
  const parameters = Object.entries(job.parameters ?? {}).map(([path, value]) =>
    h('li', { dataset: { param: path, value: JSON.stringify(value) } }, h('span', { class: 'mono' }, path), ' = ', h('strong', null, formatParameter(value))),
  );
  const note = h(
    'div',
    { class: 'trial-note', dataset: { sweepId: job.sweep } },
    h('span', null, 'Trial', index, ' of sweep ', h('a', { href: `/sweeps/${encodeURIComponent(job.sweep)}`, class: 'mono sweep-link' }, job.sweep)),
    parameters.length > 0 ? h('ul', { class: 'trial-parameters' }, ...parameters) : null,
  );
  sweepApi.trials(client, job.sweep, signal).then(
    (trials) => {
      const trial = trials.find((row) => row.jobId === job.id);
      if (trial !== undefined) {
        index.textContent = ` ${trial.trial}`;
        note.dataset.trial = String(trial.trial);
      }
    },
    () => undefined, // the link and parameters are the point; the index is a nicety
  );
  return note;
}
