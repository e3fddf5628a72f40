'use client';
// The like button, enhanced: the form in LikeButton.html works without JavaScript;
// with it, a press calls the server function in place and shows the new count.
//
// `action` is a server function passed as a prop, with the post bound in the
// template (server.likes.like_post.bind(post_id=...)): it arrives as an async
// function that sends the bound post id with every call.
import { $ } from '../lib/dom.js';

const show = (output, count) => (output.textContent = `${count} ${count == 1 ? 'like' : 'likes'}`);

export default function LikeButton(el, { action }) {
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
}
