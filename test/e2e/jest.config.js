/**
 * Browser tests against the local run (`npm run test:e2e`): the bot, the Graph sandbox and the Agents
 * Playground in headless Chromium. Kept out of the root jest config, which ignores /test/e2e/, because
 * they need /usr/bin/chromium and take tens of seconds; test/e2e/runIfChromium.js runs them from `npm test`.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.config.js'),
  rootDir: path.resolve(__dirname, '..', '..'),
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // One browser and one playground at a time: the steps of a story share them.
  maxWorkers: 1,
};
