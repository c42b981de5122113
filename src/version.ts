/** The package version (checked against package.json by test/robust/copies.test.ts). */
export const version = '0.1.0';
