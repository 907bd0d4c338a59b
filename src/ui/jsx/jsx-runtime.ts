/**
 * Revista's JSX runtime: @kitajs/html supplies the element types and HTML rules, and this layer makes
 * escaping the default. Text children and attribute values are always escaped (all of & < > " ');
 * only markup built by JSX itself (or marked with `trustedHtml`) is inserted as is. A string can
 * never smuggle markup into a page.
 */
/// <reference path="../../../node_modules/@kitajs/html/jsx.d.ts" />
import Html from '@kitajs/html';

export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type Child = SafeHtml | string | number | bigint | boolean | null | undefined | readonly Child[];

/** Marks markup that Revista produced itself (never user input) as safe to insert unescaped. */
export function trustedHtml(html: string): SafeHtml {
  return new SafeHtml(html);
}

function childrenToHtml(children: Child): string {
  if (children === null || children === undefined || children === false || children === true) return '';
  if (children instanceof SafeHtml) return children.html;
  if (Array.isArray(children)) {
    let out = '';
    for (const c of children as readonly Child[]) out += childrenToHtml(c);
    return out;
  }
  return escapeHtml(String(children));
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Control characters other than tab, newline and return are parse errors in HTML: they are dropped.
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const ESCAPED = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function escapeHtml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ESCAPES[c] ?? '') : text;
}

function attributesToString(attributes: Record<string, unknown>): string {
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (!/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/.test(name)) throw new Error(`invalid attribute name ${name}`);
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

type Props = { children?: Child; [attribute: string]: unknown };
type Component = (props: Props) => SafeHtml;

export function jsx(tag: string | Component, props: Props): SafeHtml {
  if (typeof tag === 'function') return tag(props);
  const { children, ...attributes } = props;
  const inner = childrenToHtml(children);
  const attrs = attributesToString(attributes);
  if (Html.isVoidElement(tag)) return new SafeHtml(`<${tag}${attrs}>`);
  return new SafeHtml(`<${tag}${attrs}>${inner}</${tag}>`);
}

export const jsxs = jsx;
export const jsxDEV = jsx;

export function Fragment(props: { children?: Child }): SafeHtml {
  return new SafeHtml(childrenToHtml(props.children));
}

type KitaElements = globalThis.JSX.IntrinsicElements;

export namespace JSX {
  export type Element = SafeHtml;
  export type IntrinsicElements = {
    [K in keyof KitaElements]: Omit<KitaElements[K], 'children' | 'safe'> & { children?: Child };
  };
  export interface ElementChildrenAttribute {
    children: {};
  }
}
