import { ApiRequestError } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { errorBox } from './error-box.ts';

/**
 * Puts the API's validation details next to the fields they name: each field's container carries
 * `data-path` (e.g. `model.layers[1].activation`); a detail goes to the closest named ancestor path,
 * and whatever finds no field is listed in the banner.
 */
export class FieldErrors {
  constructor(
    private readonly root: HTMLElement,
    private readonly banner: HTMLElement,
  ) {}

  clear(): void {
    for (const element of this.root.querySelectorAll('.field-error')) element.remove();
    for (const element of this.root.querySelectorAll('.has-error')) element.classList.remove('has-error');
    replace(this.banner);
  }

  show(error: unknown): void {
    this.clear();
    if (!(error instanceof ApiRequestError) || error.details.length === 0) {
      replace(this.banner, errorBox(error));
      return;
    }
    const unplaced = error.details.filter((detail) => {
      const field = detail.path === undefined ? null : this.field(detail.path);
      if (field === null) return true;
      field.classList.add('has-error');
      field.append(h('small', { class: 'field-error', role: 'alert' }, detail.message));
      return false;
    });
    replace(this.banner, errorBox(new ApiRequestError(error.status, error.code, error.message, unplaced)));
  }

  /** The element for `a.b[1].c`, else `a.b[1]`, `a.b`, `a`. */
  private field(path: string): HTMLElement | null {
    for (let current = path; current !== ''; current = parent(current)) {
      const element = this.root.querySelector<HTMLElement>(`[data-path="${CSS.escape(current)}"]`);
      if (element !== null) return element;
    }
    return null;
  }
}

function parent(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}
