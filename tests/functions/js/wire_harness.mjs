// Drive functions/client.js's encoder and the runtime's decoder under Node.
// stdin: {"encode": {name: "<JS expression>"}, "decode": {name: {"reply": {...}, "check": "<JS on v>"}}}
// stdout: {"encoded": {name: call body text}, "decoded": {name: true | "why not"}}
import { pathToFileURL } from 'node:url';

globalThis.HTMLElement = class {};
globalThis.customElements = { get: () => true };
const root = new URL('../../../islandgen/', import.meta.url);
const client = await import(new URL('functions/client.js', root));
const runtime = await import(new URL('client/runtime/decode.js', root));
let text = '';
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text);
const encoded = {};
for (const [name, expression] of Object.entries(input.encode || {})) {
  try {
    const value = new Function(`return (${expression});`)();
    encoded[name] = JSON.stringify(client.encode({ args: [value], kwargs: {} }));
  } catch (error) {
    encoded[name] = { error: String(error) };
  }
}
const decoded = {};
for (const [name, { reply, check }] of Object.entries(input.decode || {})) {
  try {
    const v = runtime.decoder({ v: 1, refs: reply.refs }).val(reply.value);
    decoded[name] = new Function('v', `return (${check});`)(v) === true ? true : `check failed: ${check}`;
  } catch (error) {
    decoded[name] = String(error);
  }
}
void pathToFileURL;
console.log(JSON.stringify({ encoded, decoded }));
