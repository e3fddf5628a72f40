'use client';
// Records when it starts and when it is done (after `delay` ms), keeps ctx.children
// in window.children[name], then shows the children by appending ctx.fragment.
export default async function Parent(el, { name, delay }, ctx) {
  (window.order ||= []).push(name);
  (window.children ||= {})[name] = ctx.children;
  await new Promise((done) => setTimeout(done, delay));
  el.querySelector('.slot').append(ctx.fragment);
  window.order.push(`${name}:done`);
}
