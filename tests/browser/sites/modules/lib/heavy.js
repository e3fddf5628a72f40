export const heavy = () => 'the rest, loaded';
