'use client';
// Writes what it received, described with types, into a <pre> inside the island, and
// keeps the value itself in window.received[name] for identity checks in the page.
import { describe } from '../lib/describe.js';

export default function Echo(el, props) {
  const { name, value } = props;
  (window.received ||= {})[name] = value;
  const out = document.createElement('pre');
  out.className = 'echo';
  out.dataset.name = name;
  out.textContent = JSON.stringify({ keys: Object.keys(props).sort(), value: describe(value) });
  el.append(out);
}
