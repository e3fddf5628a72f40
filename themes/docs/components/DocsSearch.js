'use client';
// Search over the JSON index that pages/search-index.json renders at build time. The index
// is fetched when the reader first focuses the box; "/" anywhere on the page focuses it.
// A page matches when every word typed starts a word of it; title words count most, then
// headings, then the text, and whole words twice as much as prefixes.

const words = (text) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];

function prepare(entries) {
  return entries.map((entry) => ({
    ...entry,
    fields: [[words(entry.title), 10], [entry.headings.flatMap(words), 5], [words(entry.text), 1]],
  }));
}

function score(entry, query) {
  let total = 0;
  for (const word of query) {
    let best = 0;
    for (const [field, weight] of entry.fields) {
      if (field.includes(word)) best = Math.max(best, 2 * weight);
      else if (field.some((w) => w.startsWith(word))) best = Math.max(best, weight);
    }
    if (!best) return 0;
    total += best;
  }
  return total;
}

// About 140 characters of the text around the first query word found in it.
function snippet(text, query) {
  const lower = text.toLowerCase();
  const at = Math.min(...query.map((word) => lower.indexOf(word)).filter((i) => i >= 0), text.length);
  let start = Math.max(0, at - 40);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;  // begin at a word
  const cut = text.slice(start, start + 140).replace(/\s+/g, ' ').trim();
  return (start > 0 ? '… ' : '') + cut + (start + 140 < text.length ? ' …' : '');
}

function result(entry, query) {
  const item = document.createElement('li');
  item.className = 'docs-search__result';
  const link = document.createElement('a');
  link.href = entry.url;
  link.textContent = entry.title;
  const where = document.createElement('span');
  where.className = 'docs-search__section';
  where.textContent = entry.section;
  const text = document.createElement('p');
  text.textContent = snippet(entry.text, query);
  item.append(link, where, text);
  return item;
}

const typing = (target) => target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');

export default function DocsSearch(el, { index, limit }) {
  const form = el.querySelector('form');
  const input = el.querySelector('input');
  const status = el.querySelector('.docs-search__status');
  const list = el.querySelector('.docs-search__results');
  let entries;
  const load = () =>
    (entries ||= fetch(index).then((response) => {
      if (!response.ok) throw new Error(`search index: HTTP ${response.status}`);
      return response.json().then(prepare);
    }));

  async function run() {
    const query = words(input.value);
    if (!query.length) {
      status.textContent = '';
      list.replaceChildren();
      return;
    }
    const found = (await load())
      .map((entry) => [score(entry, query), entry])
      .filter(([points]) => points > 0)
      .sort((a, b) => b[0] - a[0]);
    status.textContent = `${found.length} result${found.length === 1 ? '' : 's'}`;
    list.replaceChildren(...found.slice(0, limit).map(([, entry]) => result(entry, query)));
  }

  const fail = (error) => {
    status.textContent = 'Search is unavailable right now.';
    console.error(error);
  };
  input.addEventListener('focus', () => load().catch(fail), { once: true });
  input.addEventListener('input', () => run().catch(fail));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    list.querySelector('a')?.click();  // Enter opens the best match
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === '/' && !event.ctrlKey && !event.metaKey && !typing(event.target)) {
      event.preventDefault();
      input.focus();
    }
  });
  input.disabled = false;
}
