'use client';
// The like button, enhanced: the form in LikeButton.html works without JavaScript;
// with it, a press calls the server function in place and shows the new count.
//
// Two ways to reach a server function, both shown here: an import from a
// "use server" module (count_likes: the build swaps the .py file for a stub that
// calls over HTTP), and a prop (`action`: the server function with the post
// bound in the template, which arrives as an async function).
import { count_likes } from '../server/likes.py';
import { $ } from '../lib/dom.js';

const show = (output, count) => (output.textContent = `${count} ${count == 1 ? 'like' : 'likes'}`);

export default async function LikeButton(el, { post_id, action }) {
  const form = $(el, 'form');
  const output = $(el, 'output');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = $(form, 'button');
    button.disabled = true;
    try {
      show(output, await action());
    } catch (error) {
      output.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  });
  show(output, await count_likes(post_id));
}
