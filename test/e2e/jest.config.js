/**
 * Browser tests against the local run (`npm run test:e2e`): the bot, the Graph sandbox and the Agents
 * Playground in headless Chromium. Kept out of the root jest config, which ignores /test/e2e/, because
 * they need /usr/bin/chromium and take tens of seconds; test/e2e/runIfChromium.js runs them from `npm test`.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.resolve(__dirname, '..', '..'),
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // One browser and one playground at a time: the steps of a story share them.
  maxWorkers: 1,
};
