/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Type-checking is done once by `npm run typecheck`; jest only transpiles, which keeps runs fast.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
