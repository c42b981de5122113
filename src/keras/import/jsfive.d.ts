// jsfive ships no type declarations; archive.ts types what it uses.
declare module 'jsfive';
