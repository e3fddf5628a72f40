'use client';
// The guestbook's entries, newest first, fetched from the server function when
// the list scrolls into view. Signing is a plain form on the page (no script).
import { entries } from '../server/guestbook.py';
import { $, h } from '../lib/dom.js';

export default async function GuestbookEntries(el, { limit }) {
  const list = $(el, 'ol');
  const found = await entries(limit);
  list.replaceChildren(
    ...found.map((entry) =>
      h('li', { class: 'guestbook__entry' },
        h('p', { class: 'guestbook__message' }, entry.message),
        h('p', { class: 'guestbook__meta' }, '— ', h('strong', {}, entry.name), ' · ',
          h('time', { datetime: entry.created }, entry.created.slice(0, 10)))),
    ),
  );
  $(el, '.guestbook__empty').hidden = found.length > 0;
}
