// islandgen server function client: what a call from the browser does.
//
// A server function arrives in client code either from an import of a
// "use server" module (the build swaps the .py file for a stub module that
// calls `serverFunction(id, url)`) or as a prop (`$h` in the payload, which
// the runtime turns into a function that calls `call` here). Either way a
// call POSTs the arguments, encoded like props, and decodes the reply:
//
//   POST <url>  content-type: application/json, x-islandgen-action: 1
//   {"v": 1, "refs": [...], "args": [...], "kwargs": {bound arguments by name}}
//   -> {"ok": true, "v": 1, "refs": [...], "value": ...}
//   |  {"ok": false, "error": {"code", "message"}}  (thrown as ServerFunctionError)
//
// The wire format is documented in islandgen/islands/codec.py and
// islandgen/functions/wire.py; this is its encoder, client/runtime/decode.js the decoder.
import { decoder } from '../client/runtime/decode.js';

export class ServerFunctionError extends Error {
  constructor(message, code, status) {
    super(message);
    this.name = 'ServerFunctionError';
    this.code = code;
    this.status = status;
  }
}

const plain = (x) => x !== null && [Object.prototype, null].includes(Object.getPrototypeOf(x));
const b64 = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));

// Encode values like the Python props encoder: objects reached twice become refs.
export const encode = (values) => {
  const counts = new Map();
  const refs = [];
  const tokens = new Map();
  const kids = (x) =>
    Array.isArray(x) ? x : x instanceof Set ? [...x] : x instanceof Map ? [...x].flat() : plain(x) ? Object.values(x) : [];
  const census = (x) => {
    if (x === null || typeof x != 'object') return;
    counts.set(x, (counts.get(x) || 0) + 1);
    if (counts.get(x) == 1) kids(x).forEach(census);
  };
  const outline = (x, token, write) => {
    if (tokens.has(x)) return tokens.get(x);
    tokens.set(x, '$' + token + refs.length);
    const k = refs.push(null) - 1;
    refs[k] = write();
    return tokens.get(x);
  };
  const val = (x) => {
    if (x === undefined || x === null) return null;
    if (typeof x == 'string') return x[0] == '$' ? '$' + x : x;
    if (typeof x == 'bigint') return Number.isSafeInteger(Number(x)) ? Number(x) : '$n' + x;
    if (typeof x == 'number') {
      if (Number.isNaN(x)) return '$N';
      if (!Number.isFinite(x)) return x > 0 ? '$I' : '$-I';
      return Object.is(x, -0) ? '$-0' : x;
    }
    if (typeof x == 'boolean') return x;
    if (typeof x == 'function' && x.ref) return outline(x, 'h', () => ({ id: x.ref.id }));
    if (x instanceof Date) return '$D' + x.toISOString();
    if (ArrayBuffer.isView(x)) return '$B' + b64(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    if (x instanceof Set) return outline(x, 'W', () => [...x].map(val));
    if (x instanceof Map) return outline(x, 'Q', () => [...x].map(([k, v]) => [val(k), val(v)]));
    if (!Array.isArray(x) && !plain(x)) throw new TypeError(`cannot send ${x?.constructor?.name || typeof x} to a server function`);
    const write = () =>
      Array.isArray(x) ? x.map(val) : Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, val(v)]));
    return counts.get(x) > 1 ? outline(x, '', write) : write();
  };
  census(values);
  const encoded = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, val(v)]));
  return { v: 1, refs, ...encoded };
};

// One call: positional `args`, plus the arguments bound by name (`.bind()` in a template).
export const call = async ({ id, url, bound }, args) => {
  const response = await fetch(url || `/_fn/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-islandgen-action': '1' },
    body: JSON.stringify(encode({ args, kwargs: bound || {} })),
    credentials: 'include',
  });
  let reply;
  try {
    reply = await response.json();
  } catch {
    throw new ServerFunctionError(`server function call failed (HTTP ${response.status})`, 'bad_reply', response.status);
  }
  if (!reply.ok) throw new ServerFunctionError(reply.error?.message, reply.error?.code, response.status);
  return decoder({ v: 1, refs: reply.refs }).val(reply.value);
};

// The function a stub module exports for one server function.
export const serverFunction = (id, url) => {
  const ref = { id, url };
  const fn = async (...args) => call(ref, args);
  return (fn.ref = ref), fn;
};
