'use client';
// The test deletes this module's chunk from the output: the import fails.
export default function Gone(el) {
  el.textContent = 'should never run';
}
