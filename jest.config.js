/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // isolatedModules (tsconfig) lets ts-jest transpile file by file; `npm run typecheck` checks types once.
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/', '/test/security/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The HTTP tests run a whole bot, sandbox and connector; 5 s is too tight on a loaded 2-core machine.
  // Speed is measured by `npm run bench`, never by a test's timeout.
  testTimeout: 30000,
};
