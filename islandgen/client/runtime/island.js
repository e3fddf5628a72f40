// islandgen island runtime, one ES module: the props decoder, the hydration
// strategies and the <ig-island uid component client export> element.
//
// Hydrating calls the component module's default export (or the one named by
// `export`) as fn(el, props, ctx):
//   el            the island element, holding the shell HTML
//   props         this island's props from the page payload (below)
//   ctx.children  the HTML string of <template data-slot="default">
//   ctx.fragment  a fresh DocumentFragment copy of that template's content
// (both empty when there is no template). Then the element gets `hydrated` and
// fires a bubbling `ig:hydrated`; on any failure (chunk missing, component
// throws, props undecodable) it gets `error`, fires a bubbling `ig:error`
// (detail.error) and logs to the console. An island inside another island
// hydrates after it (after it failed, too).
//
// The page payload is <script type="application/json" id="ig-props">, or the
// JSON file named by that element's data-src. Its format is documented in
// islandgen/islands/codec.py.

// -- props decoder ------------------------------------------------------------

// hooks.call(id, args, ref) => Promise of the result: a server function prop
// (`$h`, ref = {id, url, bound}) calls it; by default it loads the server
// function client (islandgen/functions/client.js) on the first call.
export const hooks = {
  call: async (id, args, ref) => (await import('../../functions/client.js')).call(ref, args),
};

// One entry per token of codec.TOKENS (tests/islands check that they match);
// each gets the text after its token and the decoder.
// BEGIN TAGS
export const TAGS = {
  '': (k, d) => d.ref(k, (raw) => raw, d.walk),
  $: (s) => '$' + s,
  n: (s) => BigInt(s),
  N: () => NaN,
  I: () => Infinity,
  '-I': () => -Infinity,
  '-0': () => -0,
  D: (s) => new Date(s),
  B: (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)),
  W: (k, d) => d.ref(k, () => new Set(), (set, raw) => raw.map((v) => set.add(d.val(v)))),
  Q: (k, d) => d.ref(k, () => new Map(), (map, raw) => raw.map((e) => map.set(d.val(e[0]), d.val(e[1])))),
  h: (k, d) =>
    d.ref(
      k,
      (raw) => Object.assign(async (...args) => hooks.call(raw.id, args, raw), { ref: raw }),
      (fn, raw) => raw.bound && d.walk(raw.bound),
    ),
};
// END TAGS

// A decoder for one payload {v, refs, islands}: d.island(uid) gives an
// island's props (decoded once, in place), d.val(x) decodes any value.
export const decoder = ({ v, refs = [], islands = {} }) => {
  if (v != 1) throw Error('payload version ' + v);
  const done = new Map();
  const props = {};
  const d = {
    // refs[k] as one value, registered before it is filled so cycles close
    ref: (k, make, fill) => {
      if (!done.has(k)) done.set(k, make(refs[k])), fill?.(done.get(k), refs[k]);
      return done.get(k);
    },
    walk: (o) => {
      for (const k of Object.keys(o)) o[k] = d.val(o[k]);
      return o;
    },
    val: (x) => {
      if (x && typeof x == 'object') return d.walk(x);
      if (typeof x != 'string' || x[0] != '$') return x;
      const t = x[1] == '-' ? x.slice(1, 3) : isNaN(x[1]) ? x[1] : '';
      if (!TAGS[t]) throw Error('props token ' + x);
      return TAGS[t](x.slice(1 + t.length), d);
    },
    island: (uid) => (props[uid] ||= d.val(islands[uid] || {})),
  };
  return d;
};

let page;
const payload = () =>
  (page ||= (async (s = document.getElementById('ig-props')) =>
    decoder(s?.dataset.src ? await (await fetch(s.dataset.src)).json() : JSON.parse(s?.text || '{"v":1}')))());

// -- strategies ------------------------------------------------------------------

// name -> (el, go, argument); go() starts hydrating (once) and returns its promise.
const TRIGGERS = ['pointerdown', 'focusin', 'keydown', 'click'];
const now = (el, go) => go();
// BEGIN STRATEGIES
export const STRATEGIES = {
  load: now,
  only: now,
  idle: (el, go) => (self.requestIdleCallback || setTimeout)(go),
  visible: (el, go, margin) => {
    const io = new IntersectionObserver(
      (entries) => entries.some((e) => e.isIntersecting) && (io.disconnect(), go()),
      { rootMargin: margin || '0px' },
    );
    [el, ...el.children].map((e) => io.observe(e));
  },
  media: (el, go, query) => {
    const m = matchMedia(query);
    m.matches ? go() : (m.onchange = () => m.matches && go());
  },
  // The first pointer/focus/key/click event inside starts hydrating; clicks are
  // held back until then, and all of them are replayed on their targets after.
  interaction: (el, go) => {
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
  },
};
// END STRATEGIES

// -- the element ----------------------------------------------------------------

customElements.get('ig-island') ||
  customElements.define(
    'ig-island',
    class extends HTMLElement {
      connectedCallback() {
        if (this.settled) return;
        this.settled = new Promise((ok) => (this.ok = ok));
        let started;
        const go = () => (started ||= this.hydrate());
        for (const part of (this.getAttribute('client') || 'load').split('|')) {
          const [name, ...arg] = part.split(':');
          try {
            STRATEGIES[name](this, go, arg.join(':'));
          } catch (error) {
            this.fail(error);
          }
        }
      }

      async hydrate() {
        await this.parentElement?.closest('ig-island')?.settled;
        try {
          const at = (name) => this.getAttribute(name);
          const [mod, d] = await Promise.all([import(at('component')), payload()]);
          const t = this.querySelector(':scope>template[data-slot=default]') || document.createElement('template');
          await mod[at('export') || 'default'](this, d.island(at('uid')), {
            children: t.innerHTML,
            fragment: t.content.cloneNode(true),
          });
          this.setAttribute('hydrated', '');
          this.dispatchEvent(new CustomEvent('ig:hydrated', { bubbles: true }));
          this.ok();
        } catch (error) {
          this.fail(error);
        }
      }

      fail(error) {
        this.setAttribute('error', '');
        console.error('islandgen: island failed', this, error);
        this.dispatchEvent(new CustomEvent('ig:error', { bubbles: true, detail: { error } }));
        this.ok();
      }
    },
  );
