// The `interaction` strategy, a chunk of its own: the runtime (island.js)
// imports it for the first island that uses it, and the build preloads it on
// pages that have one. The first pointer/focus/key/click event inside the
// island starts hydrating; clicks are held back until then, and every held
// event is replayed on its target afterwards, so the first click is not lost.
const TRIGGERS = ['pointerdown', 'focusin', 'keydown', 'click'];

export default (el, go) => {
  const seen = [];
  const hold = (e) => {
    if (el.hasAttribute('hydrated')) return;
    if (e.type == 'click') e.preventDefault(), e.stopPropagation();
    seen.push(e) < 2 &&
      go().finally(() => {
        TRIGGERS.map((t) => el.removeEventListener(t, hold, true));
        seen.map((e) => e.target.dispatchEvent(new e.constructor(e.type, e)));
      });
  };
  TRIGGERS.map((t) => el.addEventListener(t, hold, true));
};
