import { ApiRequestError, type Dataset } from '@trainyard/client';

/**
 * Datasets by id, each read once (`GET /v1/datasets/:id`): datasets never change, so a name shown once is
 * good for the whole session. A deleted or foreign dataset (404) is remembered as null; any other failure is
 * not remembered, so the next look-up tries again.
 */
export class DatasetCache {
  private readonly known = new Map<string, Dataset | null>();
  private readonly pending = new Map<string, Promise<Dataset | null>>();

  constructor(private readonly load: (id: string) => Promise<Dataset>) {}

  /** What is known now, without asking: the dataset, null (it is gone), or undefined (not read yet). */
  peek(id: string): Dataset | null | undefined {
    return this.known.get(id);
  }

  /** Datasets read some other way (a list page): later look-ups need not ask. */
  prime(datasets: Iterable<Dataset>): void {
    for (const dataset of datasets) this.known.set(dataset.id, dataset);
  }

  /** The dataset, asking the API at most once however many callers wait for it. */
  get(id: string): Promise<Dataset | null> {
    const known = this.known.get(id);
    if (known !== undefined) return Promise.resolve(known);
    let request = this.pending.get(id);
    if (request === undefined) {
      request = this.load(id).then(
        (dataset) => this.settle(id, dataset),
        (error: unknown) => {
          if (error instanceof ApiRequestError && error.status === 404) return this.settle(id, null);
          this.pending.delete(id);
          throw error;
        },
      );
      this.pending.set(id, request);
    }
    return request;
  }

  private settle(id: string, dataset: Dataset | null): Dataset | null {
    this.known.set(id, dataset);
    this.pending.delete(id);
    return dataset;
  }
}
