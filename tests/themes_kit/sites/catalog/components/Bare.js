'use client';
// No shell, so no declared props: any go. The island writes its text itself.
// example: text="bare island", client="idle"
export default function Bare(el, { text }) {
  el.textContent = text;
}
