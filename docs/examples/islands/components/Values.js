'use client';
// Shows what each prop became in the browser: Python values richer than JSON arrive
// as their JavaScript counterparts (a datetime as a Date, a set as a Set, ...).
// example: values={"when": "2024-05-01", "count": 3}
const kind = (value) =>
  value === null ? 'null' : value.constructor?.name ?? typeof value;

function show(value) {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Set) return `{${[...value].join(', ')}}`;
  if (value instanceof Map) return [...value].map(([k, v]) => `${k} → ${v}`).join(', ');
  if (value instanceof Uint8Array) return `[${value.join(', ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export default function Values(el, { values }) {
  const rows = Object.entries(values).map(([name, value]) => {
    const row = document.createElement('tr');
    for (const text of [name, kind(value), show(value)]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  el.querySelector('tbody').replaceChildren(...rows);
}
