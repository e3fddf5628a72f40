// Imported by both Left.js and Right.js: one chunk, requested once per page.
export const mark = (el, side) => {
  el.dataset.side = side;
  (window.hydrated ||= []).push(side);
};
