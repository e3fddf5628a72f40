// islandgen island runtime, the one module every page with islands loads: the
// <ig-island uid component client export> element and its strategies. It
// must stay under 1 KB min+gzip (tests/browser check), so what only some
// pages need is in chunks it imports on demand, which the build preloads on
// the pages that need them: the props decoder (decode.js) for a payload with
// tagged values or in a file, the `interaction` strategy (interaction.js),
// and through the decoder the server function client.
//
// Hydrating calls the component module's default export (or the one named by
// `export`) as fn(el, props, ctx):
//   el            the island element, holding the shell HTML
//   props         this island's props from the page payload (below)
//   ctx.children  the HTML string of <template data-slot="default">
//   ctx.fragment  a fresh DocumentFragment copy of that template's content
// (both empty when there is no template). Then the element gets `hydrated` and
// fires a bubbling `ig:hydrated`; on any failure (chunk missing, no such
// export, component throws, props undecodable) it gets `error`, fires a
// bubbling `ig:error` (detail.error) and logs to the console. An island inside
// another island hydrates after it (after it failed, too).
//
// The page payload is <script type="application/json" id="ig-props">, or the
// JSON file named by that element's data-src; its format is documented in
// islandgen/islands/codec.py. Inline JSON whose text has no `"$` (so no
// string that starts with `$`, the mark of a tag) is read here as it is;
// anything else goes to the decoder.

let page;
// {uid: props} of the page payload (read once)
const payload = () =>
  (page ||= (async (s = document.getElementById('ig-props')) =>
    s?.dataset.src || s?.text.includes('"$')
      ? (await import('./decode.js')).read(s)
      : JSON.parse(s?.text || '{}').islands || {})());

// -- strategies ------------------------------------------------------------------

// name -> (el, go, argument); go() starts hydrating (once) and returns its promise.
const now = (el, go) => go();
// BEGIN STRATEGIES
export const STRATEGIES = {
  load: now,
  only: now,
  idle: (el, go) => (self.requestIdleCallback || setTimeout)(go),
  visible: (el, go, margin) => {
    const io = new IntersectionObserver(
      (entries) => entries.some((e) => e.isIntersecting) && (io.disconnect(), go()),
      { rootMargin: margin },
    );
    [el, ...el.children].map((e) => io.observe(e));
  },
  media: (el, go, query) => {
    const m = matchMedia(query);
    (m.onchange = () => m.matches && go())();
  },
  interaction: async (el, go) => (await import('./interaction.js')).default(el, go),
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
        const fail = (error) => {
          console.error('islandgen: island failed', this, error);
          this.done('error', { error });
        };
        const go = () => (started ||= this.hydrate().catch(fail));
        for (const part of (this.getAttribute('client') || 'load').split('|')) {
          const [name, argument] = part.split(/:(.*)/); // media:(min-width: 40em)
          (async () => STRATEGIES[name](this, go, argument))().catch(fail);
        }
      }

      async hydrate() {
        await this.parentElement?.closest('ig-island')?.settled;
        const at = (name) => this.getAttribute(name);
        const url = at('component');
        const name = at('export') || 'default';
        const [mod, props] = await Promise.all([import(url), payload()]);
        if (!mod[name]) throw Error(`${url} has no export ${name}`);
        const t = this.querySelector(':scope>template[data-slot]') || document.createElement('template');
        await mod[name](this, props[at('uid')] || {}, {
          children: t.innerHTML,
          fragment: t.content.cloneNode(true),
        });
        this.done('hydrated');
      }

      done(state, detail) {
        // `hydrated` or `error`: the attribute, a bubbling ig: event; then nested islands may go
        this.toggleAttribute(state, true);
        this.dispatchEvent(new CustomEvent('ig:' + state, { bubbles: true, detail }));
        this.ok();
      }
    },
  );
