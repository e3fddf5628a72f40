'use client';
// The island inside Parent's shell: it runs only after Parent has run.
export default function Child(el, { name }) {
  el.textContent = `child of ${name}, hydrated after its parent`;
}
