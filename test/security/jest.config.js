/**
 * The project's own security suite (`npm run test:security`, run by `npm test`): the authorisation
 * matrix, thousands of generated payloads per form on both stores, forged tokens, Graph faults and
 * killed processes. Kept out of the root jest config, which ignores /test/security/, because it runs
 * for minutes; `npm test` runs it after the unit and HTTP tests.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.config.js'),
  rootDir: path.resolve(__dirname, '..', '..'),
  testMatch: ['<rootDir>/test/security/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Speed is measured by `npm run bench`; these timeouts only stop a hung run.
  testTimeout: 600000,
};
