'use client';
// A client component: this module runs in the browser, once per island, with the island
// element (which already holds the shell's HTML from Counter.html) and the props.
export default function Counter(el, { start }) {
  const output = el.querySelector('output');
  let count = start;
  el.querySelector('button').addEventListener('click', () => {
    count += 1;
    output.textContent = count;
  });
}
