/** Every suite runs in Node; browser suites drive Chromium themselves. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: 'tsconfig.json'}]},
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
};
