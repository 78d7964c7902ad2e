/** The element `selector` names (the pages are static: a missing one is a bug). */
export function $<T extends HTMLElement = HTMLElement>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`${selector} is missing from the page`);
  return element;
}

/**
 * A section's message lines: its status, or its error (role=alert) right under the controls that
 * failed. Each new message replaces the previous one, so the section always describes its latest action.
 */
export class Notice {
  readonly #status: HTMLElement;
  readonly #error: HTMLElement;

  constructor(status: HTMLElement, error: HTMLElement) {
    this.#status = status;
    this.#error = error;
  }

  status(text: string): void {
    this.#status.textContent = text;
    this.#error.hidden = true;
    this.#error.textContent = '';
  }

  error(text: string): void {
    this.#status.textContent = '';
    this.#error.textContent = text;
    this.#error.hidden = false;
  }

  clear(): void {
    this.status('');
  }
}

/** Offers `text` as a file named `name`. */
export function saveFile(text: string, name: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/**
 * Wraps `render`: when it disables the button that had focus, focus moves to the nearest enabled
 * button of the same row; with none, the button is remembered and focus returns to the row once a
 * later render enables one. A keyboard user keeps their place (Transcribe -> Stop -> Transcribe).
 */
export function keepingFocus(render: () => void): () => void {
  let lost: HTMLButtonElement | undefined;
  return () => {
    const active = document.activeElement;
    const had = active instanceof HTMLButtonElement ? active : active === null || active === document.body ? lost : undefined;
    render();
    lost = undefined;
    if (had === undefined) return;
    const row = [...(had.parentElement?.querySelectorAll('button') ?? [])];
    const at = row.indexOf(had);
    const next = [had, ...row.slice(at + 1), ...row.slice(0, at).reverse()].find((button) => !button.disabled && !button.hidden);
    if (next === undefined) lost = had;
    else if (next !== document.activeElement) next.focus();
  };
}
