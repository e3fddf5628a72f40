// Decode a page payload with the runtime's decoder and run a JS check per case.
// argv[2]: the decoder module path, argv[3]: the runtime's; stdin: {"payload": text, "checks": {name: {uid, check}}}
// stdout: {"results": {name: true | "why not"}, "tags": [...], "strategies": [...]}
import { pathToFileURL } from 'node:url';

globalThis.HTMLElement = class {};
globalThis.customElements = { get: () => true };
const decode = await import(pathToFileURL(process.argv[2]));
const runtime = await import(pathToFileURL(process.argv[3]));
let text = '';
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text);
decode.hooks.call = async (id, args) => ({ id, args });
const d = decode.decoder(JSON.parse(input.payload));
const results = {};
for (const [name, { uid, check }] of Object.entries(input.checks)) {
  try {
    const v = d.island(uid).value;
    const ok = await new Function('v', 'island', `return (async () => (${check}))();`)(v, d.island);
    results[name] = ok === true ? true : `check failed: ${check}`;
  } catch (error) {
    results[name] = String(error && error.stack ? error.stack : error);
  }
}
console.log(JSON.stringify({
  results,
  tags: Object.keys(decode.TAGS),
  strategies: Object.keys(runtime.STRATEGIES),
}));
