'use client';
// No default export, and the island names none: there is nothing to call.
export function Widget(el) {
  el.textContent = 'not called';
}
