'use client';
// Tabs over server-rendered panels. The panels arrive as the call's children
// (ctx.fragment, a fresh copy of them); islands inside a panel hydrate once
// this one has put them on the page.
import { $, $$ } from '../lib/dom.js';

let tabsOnPage = 0;

export default function Tabs(el, { labels }, { fragment }) {
  const panels = [...fragment.children];
  if (panels.length !== labels.length) {
    throw new Error(`Tabs: ${labels.length} labels but ${panels.length} panels`);
  }
  const tabs = $$(el, '[role=tab]');
  const id = `tabs-${++tabsOnPage}`;
  panels.forEach((panel, i) => {
    tabs[i].id = `${id}-tab-${i}`;
    tabs[i].setAttribute('aria-controls', `${id}-panel-${i}`);
    tabs[i].disabled = false;
    panel.id = `${id}-panel-${i}`;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', tabs[i].id);
    panel.tabIndex = 0;
  });

  const select = (index, focus = false) => {
    tabs.forEach((tab, i) => {
      tab.setAttribute('aria-selected', String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    if (focus) tabs[index].focus();
  };

  const list = $(el, '[role=tablist]');
  list.addEventListener('click', (event) => {
    const index = tabs.indexOf(event.target.closest('[role=tab]'));
    if (index >= 0) select(index);
  });
  list.addEventListener('keydown', (event) => {
    const current = tabs.indexOf(document.activeElement);
    const next = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: tabs.length - 1,
    }[event.key];
    if (current < 0 || next === undefined) return;
    event.preventDefault();
    select((next + tabs.length) % tabs.length, true);
  });

  select(0);
  $(el, '.tabs__panels').append(...panels);
}
