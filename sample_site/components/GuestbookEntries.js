'use client';
// The guestbook's entries, newest first. The island wakes on the first press of
// its "Show the entries" button (client="interaction") and fetches them from the
// server function it imports: the build swaps server/guestbook.py for a stub
// module that calls over HTTP. Signing is a plain form on the page (no script).
import { entries } from '../server/guestbook.py';
import { $, h } from '../lib/dom.js';

const render = (entry) =>
  h('li', { class: 'guestbook__entry' },
    h('p', { class: 'guestbook__message' }, entry.message),
    h('p', { class: 'guestbook__meta' }, '— ', h('strong', {}, entry.name), ' · ',
      h('time', { datetime: entry.created }, entry.created.slice(0, 10))));

export default async function GuestbookEntries(el, { limit }) {
  const button = $(el, 'button');
  const status = $(el, '.guestbook__status');
  const load = async () => {
    button.disabled = true;
    try {
      const found = await entries(limit);
      $(el, 'ol').replaceChildren(...found.map(render));
      status.textContent = found.length ? '' : 'No entries yet.';
      button.textContent = 'Refresh';
    } catch (error) {
      status.textContent = `The entries could not be loaded: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener('click', load);
}
