// A stand-in for a vendored library, reached as the bare specifier 'tiny-format'.
export const shout = (text) => `${text.toUpperCase()}!`;
