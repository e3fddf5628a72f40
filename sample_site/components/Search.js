'use client';
// Client-side search over the JSON index that pages/search-index.json renders at
// build time. `index` is the index's URL, with the site's base path already in it.
import { $, h } from '../lib/dom.js';

const words = (text) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];

// A page matches when every query word starts a word of it; title hits count most,
// whole words twice as much as prefixes.
function score(entry, query) {
  let total = 0;
  for (const word of query) {
    const hits = (field, weight) =>
      entry[field].includes(word) ? 2 * weight : entry[field].some((w) => w.startsWith(word)) ? weight : 0;
    const best = Math.max(hits('titleWords', 10), hits('tagWords', 5), hits('textWords', 1));
    if (!best) return 0;
    total += best;
  }
  return total;
}

function prepare(pages) {
  return pages.map((page) => ({
    ...page,
    titleWords: words(page.title),
    tagWords: page.tags.flatMap(words),
    textWords: words(`${page.summary} ${page.text}`),
  }));
}

export default function Search(el, { index }) {
  const input = $(el, 'input');
  const status = $(el, '.search__status');
  const results = $(el, '.search__results');
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
      results.replaceChildren();
      return;
    }
    const found = (await load())
      .map((entry) => [score(entry, query), entry])
      .filter(([points]) => points > 0)
      .sort((a, b) => b[0] - a[0]);
    status.textContent = `${found.length} result${found.length === 1 ? '' : 's'} for “${input.value.trim()}”`;
    results.replaceChildren(
      ...found.map(([, page]) =>
        h('li', { class: 'search__result' },
          h('a', { href: page.url }, page.title),
          h('p', {}, page.summary)),
      ),
    );
  }

  el.addEventListener('submit', (event) => event.preventDefault());
  input.addEventListener('input', run);
  input.value = new URLSearchParams(location.search).get('q') || input.value;
  run().catch((error) => {
    status.textContent = 'Search is unavailable right now.';
    throw error;
  });
}
