// Small DOM helpers shared by the sample site's islands. Every island that
// imports this file gets the same chunk (_islands/dom.<hash>.js): the browser
// fetches it once per page and caches it for the next ones.

/** The first element under `root` that matches `selector`. */
export const $ = (root, selector) => root.querySelector(selector);

/** Every element under `root` that matches `selector`, as an array. */
export const $$ = (root, selector) => [...root.querySelectorAll(selector)];

/**
 * A new element: h('a', { href: '/x/', class: 'link' }, 'text', child).
 * `on<event>` attributes become listeners; true/false/null toggle or drop attributes.
 */
export function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false && value != null) el.setAttribute(name, value);
  }
  el.append(...children);
  return el;
}
