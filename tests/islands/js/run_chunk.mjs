// Import a built chunk (argv[2]) and run its default export like the runtime would.
// stdout: {"innerHTML": what the component wrote, "exports": sorted export names}
import { pathToFileURL } from 'node:url';

const module = await import(pathToFileURL(process.argv[2]));
const el = { innerHTML: '' };
await module.default(el, {}, { children: '<p>kids</p>' });
console.log(JSON.stringify({ innerHTML: el.innerHTML, exports: Object.keys(module).sort() }));
