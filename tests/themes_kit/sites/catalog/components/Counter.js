'use client';
// A counter for the catalog's browser test.
export default function Counter(el, { start }) {
  const output = el.querySelector('output');
  let count = start;
  el.querySelector('button').addEventListener('click', () => {
    count += 1;
    output.textContent = count;
  });
}
