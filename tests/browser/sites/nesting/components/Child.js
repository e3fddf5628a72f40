'use client';
export default function Child(el, { name }) {
  (window.order ||= []).push(name);
  el.textContent = `child ${name}`;
}
