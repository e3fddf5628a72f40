'use client';
import { mark } from '../lib/shared.js';

export default function Right(el) {
  mark(el, 'right');
}
