'use client';
// A counter: the smallest useful island. Its shell (Counter.html) renders the
// button at build time; this module only adds behaviour to it.
import { $ } from '../lib/dom.js';

export default function Counter(el, { start }) {
  const output = $(el, 'output');
  let count = start;
  $(el, 'button').addEventListener('click', () => {
    count += 1;
    output.textContent = count;
  });
}
