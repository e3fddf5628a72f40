'use client';
// Light or dark, whatever the system says, remembered in localStorage.
// The choice goes on <html data-theme="dark|light">; static/css/sample.css
// gives both values the theme's colours.
import { $ } from '../lib/dom.js';

const KEY = 'harbour-theme';
const root = document.documentElement;
const systemDark = matchMedia('(prefers-color-scheme: dark)');

const isDark = () => (root.dataset.theme || (systemDark.matches ? 'dark' : 'light')) === 'dark';

function remembered() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage can be off (private windows, strict settings)
  }
}

function remember(theme) {
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // the choice then lasts for this page only
  }
}

export default function ThemeToggle(el) {
  const button = $(el, 'button');
  const show = () => button.setAttribute('aria-pressed', String(isDark()));
  const stored = remembered();
  if (stored === 'dark' || stored === 'light') root.dataset.theme = stored;
  button.addEventListener('click', () => {
    const theme = isDark() ? 'light' : 'dark';
    root.dataset.theme = theme;
    remember(theme);
    show();
  });
  systemDark.addEventListener('change', show);
  show();
  button.disabled = false;
}
