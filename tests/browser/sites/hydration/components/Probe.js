'use client';
// Counts clicks on its button and records that it ran. With client="only" there is no
// shell, so it draws the button itself.
export default function Probe(el, { name }) {
  let button = el.querySelector('button');
  if (!button) {
    button = document.createElement('button');
    button.className = 'probe';
    button.dataset.name = name;
    button.append(`${name}: `, document.createElement('output'));
    button.lastChild.textContent = '0';
    el.append(button);
  }
  let clicks = 0;
  button.addEventListener('click', () => {
    button.querySelector('output').textContent = ++clicks;
  });
  (window.hydrated ||= []).push(name);
}
