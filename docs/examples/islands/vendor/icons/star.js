// Reached as 'icons/star.js' through the import map's 'icons/' prefix.
export const star = '★';
