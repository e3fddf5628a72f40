'use client';
// Bare imports resolve through islandgen.yaml's import_map; import.meta.env holds the
// ISLANDGEN_PUBLIC_* variables of the build's environment, and nothing else.
import { shout } from 'tiny-format';
import { star } from 'icons/star.js';

export default function Greeting(el) {
  const greeting = import.meta.env.ISLANDGEN_PUBLIC_GREETING ?? 'hello';
  el.textContent = `${star} ${shout(greeting)}`;
}
