'use client';
export default function Throw() {
  throw new Error('Throw: broken on purpose');
}
