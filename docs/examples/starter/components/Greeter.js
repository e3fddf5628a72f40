'use client';
// Importing a "use server" module gives the browser an async stub that calls the server
// over HTTP: never the Python code. The form in Greeter.html posts without JavaScript.
import { greet } from '../server/greetings.py';

export default function Greeter(el) {
  const form = el.querySelector('form');
  const output = el.querySelector('output');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      output.textContent = await greet(form.elements.name.value);
    } catch (error) {
      output.textContent = error.message;
    }
  });
}
