/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // isolatedModules (tsconfig) lets ts-jest transpile file by file; `npm run typecheck` checks types once.
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
