'use client';
import { mark } from '../lib/shared.js';

export default function Left(el) {
  mark(el, 'left');
}
