/** A child of `h()`: text (always inserted as text, never parsed as HTML), a node, or nothing. */
export type Child = string | number | Node | null | undefined | false;

/** Element properties `h()` sets: attributes, ARIA included, and event listeners (`onclick`...). */
export type Props = Record<string, string | number | boolean | ((event: Event) => void) | undefined>;

/**
 * Creates an element. Strings become text nodes, so names from the Hub or an archive are shown
 * as text and never interpreted as markup. `on*` props add listeners; `true` sets an empty
 * attribute, `false`/undefined leaves it out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...nodes(children));
  return element;
}

/** `children` as what `append()`/`replaceChildren()` take: nothing-values dropped, numbers as text. */
export function nodes(children: Child[]): Array<Node | string> {
  return children
    .filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (typeof child === 'object' ? child : String(child)));
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (for the panel's small plots). */
export function svg(tag: string, attributes: Record<string, string | number> = {}, ...children: Node[]): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}
