'use client';
// Copy buttons on code blocks. One island enhances every pre.highlight inside the nearest
// ancestor matching `selector` (or inside the island itself, for code passed as children):
// each block is wrapped in div.code-block and gets a button that copies its text.

async function copy(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');  // http:// pages have no clipboard API
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.cssText = 'position: fixed; opacity: 0;';
  document.body.append(area);
  area.select();
  const done = document.execCommand('copy');
  area.remove();
  if (!done) throw new Error('the browser refused to copy');
}

function enhance(pre, { label, copied }) {
  const block = document.createElement('div');
  block.className = 'code-block';
  pre.replaceWith(block);
  block.append(pre);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'code-block__copy';
  button.textContent = label;
  const status = document.createElement('span');
  status.className = 'visually-hidden';
  status.setAttribute('aria-live', 'polite');
  button.addEventListener('click', async () => {
    try {
      await copy((pre.querySelector('code') || pre).textContent);
      button.textContent = status.textContent = copied;
    } catch (error) {
      button.textContent = status.textContent = error.message;
    }
    setTimeout(() => { button.textContent = label; status.textContent = ''; }, 1500);
  });
  block.append(button, status);
}

export default function CopyCode(el, { selector, label, copied }) {
  const root = (selector && el.closest(selector)) || el;
  for (const pre of root.querySelectorAll('pre.highlight')) {
    if (!pre.parentElement.classList.contains('code-block')) enhance(pre, { label, copied });
  }
}
