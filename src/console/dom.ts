/** Small DOM helpers: elements from attributes and text (never HTML strings: no injection from data). */
const SVG_NS = "http://www.w3.org/2000/svg";

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attrs: Readonly<Record<string, string>> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function svg(doc: Document, tag: string, attrs: Readonly<Record<string, string>> = {}): SVGElement {
  const node = doc.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function button(doc: Document, label: string, onClick: () => void, attrs: Readonly<Record<string, string>> = {}): HTMLButtonElement {
  const b = el(doc, "button", { type: "button", ...attrs }, label);
  b.addEventListener("click", onClick);
  return b;
}

/** Sets text only when it changed, so a redraw does not disturb a screen reader or a selection. */
export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function setData(node: HTMLElement | SVGElement, key: string, value: string | undefined): void {
  if (value === undefined) delete node.dataset[key];
  else if (node.dataset[key] !== value) node.dataset[key] = value;
}
