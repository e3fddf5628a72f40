'use client';
// Imports from a "use server" module: the browser gets async stubs that call the server
// over HTTP (POST /_fn/<id>), never the Python code.
import { vote, tally } from '../server/poll.py';

const show = (output, counts) =>
  (output.textContent = Object.entries(counts).map(([option, n]) => `${option}: ${n}`).join(' · '));

export default async function Poll(el) {
  const form = el.querySelector('form');
  const output = el.querySelector('output');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      show(output, await vote(new FormData(form).get('option')));
    } catch (error) {
      output.textContent = error.message;
    }
  });
  show(output, await tally());
}
