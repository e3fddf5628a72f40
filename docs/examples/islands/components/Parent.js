'use client';
// A parent island. Its shell (Parent.html) holds a Child island, which does not run
// before this function has returned, whatever the child's own strategy says.
export default async function Parent(el, { name }) {
  el.querySelector('.parent__status').textContent = `parent ${name}: hydrated`;
}
