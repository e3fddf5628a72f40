'use client';
export default function Good(el, { name }) {
  (window.hydrated ||= []).push(name);
  el.textContent = `${name}: ok`;
}
