'use client';
export default async function Reject() {
  await null;
  throw new Error('Reject: broken after an await');
}
