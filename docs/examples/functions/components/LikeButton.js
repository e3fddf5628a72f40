'use client';
// The like button, enhanced: `action` is a server function passed as a prop. It arrives
// as an async function that sends the arguments bound in the template with every call.
export default function LikeButton(el, { action }) {
  const form = el.querySelector('form');
  const output = el.querySelector('output');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const count = await action();
      output.textContent = `${count} ${count === 1 ? 'like' : 'likes'}`;
    } catch (error) {
      output.textContent = error.message;
    }
  });
}
