#!/usr/bin/env node
// `npm test` runs the browser tests too where Debian's Chromium is installed (apt-get install -y
// chromium); elsewhere it says why they were skipped. Screenshots go under data/ here, so a plain
// test run leaves docs/screenshots as committed (`npm run test:e2e` refreshes those).
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  console.log(`e2e: skipped, no ${chromium} (apt-get install -y chromium to run the browser tests)`);
  process.exit(0);
}
const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest'), '-c', path.join(__dirname, 'jest.config.js')],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      E2E_SCREENSHOT_DIR: process.env.E2E_SCREENSHOT_DIR || path.join(root, 'data', 'e2e', 'screenshots'),
    },
  },
);
process.exit(result.status === null ? 1 : result.status);
