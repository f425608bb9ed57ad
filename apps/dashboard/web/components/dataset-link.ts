import type { DatasetCache } from '../dataset-cache.ts';
import { h } from '../dom.ts';

/**
 * A link to a dataset's page, named by the dataset's name once the cache knows it (its id until then, and
 * for a dataset that is gone); the id stays in `title` and `data-dataset-id`.
 */
export function datasetLink(cache: DatasetCache, datasetId: string, className?: string): HTMLAnchorElement {
  const known = cache.peek(datasetId);
  const link = h('a', { href: `/datasets/${encodeURIComponent(datasetId)}`, class: className, title: datasetId, dataset: { datasetId } }, known?.name ?? datasetId);
  link.dataset.resolved = String(known !== undefined);
  if (known === undefined) {
    cache.get(datasetId).then(
      (dataset) => {
        if (dataset !== null) link.textContent = dataset.name;
        link.dataset.resolved = 'true';
      },
      () => undefined, // the id stays: a name is a nicety, the list must not fail for it
    );
  }
  return link;
}
