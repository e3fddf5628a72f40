'use client';
// lib/heavy.js is a dynamic import: its own chunk, fetched only on the first click.
export default function Later(el) {
  el.querySelector('button').addEventListener('click', async () => {
    const { heavy } = await import('../lib/heavy.js');
    el.querySelector('button').textContent = heavy();
  });
}
