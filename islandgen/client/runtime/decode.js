// The props decoder, a chunk of its own: the runtime (island.js) imports it
// only when the page payload holds a tagged string (one that starts with `$`),
// and the server function client (functions/client.js) for every reply.
// The wire format is documented in islandgen/islands/codec.py.

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

// {uid: props} for the page payload element (the runtime's <script id="ig-props">), from
// its JSON text or the JSON file its data-src names; each island's props are decoded
// when first read, so one undecodable island fails alone.
export const read = async (s) => {
  const d = decoder(s.dataset.src ? await (await fetch(s.dataset.src)).json() : JSON.parse(s.text));
  return new Proxy({}, { get: (_, uid) => d.island(uid) });
};
