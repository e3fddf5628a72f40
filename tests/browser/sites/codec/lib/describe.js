// describe(value) -> a JSON tree that spells out the type of every value, so a test can
// compare what arrived with what Python sent, exactly: NaN, -0 and ±Infinity, BigInt,
// Date, Set, Map, Uint8Array, and objects reached twice (["ref", where first seen]).
// tests/browser/test_island_codec.py has the same function in Python.

export function describe(value, path = '$', seen = new Map()) {
  if (value === null) return ['null'];
  switch (typeof value) {
    case 'undefined':
      return ['undefined'];
    case 'boolean':
      return ['bool', value];
    case 'string':
      return ['string', value];
    case 'bigint':
      return ['bigint', value.toString()];
    case 'function':
      return ['function', value.constructor.name];
    case 'number':
      if (Number.isNaN(value)) return ['number', 'NaN'];
      if (Object.is(value, -0)) return ['number', '-0'];
      if (!Number.isFinite(value)) return ['number', value > 0 ? 'Infinity' : '-Infinity'];
      return ['number', value];
  }
  if (value instanceof Date) return ['Date', Number.isNaN(+value) ? 'Invalid Date' : value.toISOString()];
  if (value instanceof Uint8Array) return ['Uint8Array', [...value]];
  if (seen.has(value)) return ['ref', seen.get(value)];
  seen.set(value, path);
  if (value instanceof Set) {
    return ['Set', [...value].map((item, i) => describe(item, `${path}{${i}}`, seen))];
  }
  if (value instanceof Map) {
    return ['Map', [...value].map(([k, v], i) => [
      describe(k, `${path}<k${i}>`, seen), describe(v, `${path}<v${i}>`, seen)])];
  }
  if (Array.isArray(value)) return ['Array', value.map((item, i) => describe(item, `${path}[${i}]`, seen))];
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return ['Object', Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, describe(v, `${path}.${k}`, seen)]))];
  }
  return ['object', value.constructor?.name ?? 'null prototype'];
}
