#!/usr/bin/env node
// Builds the TypeScript once when dist/ is missing or older than the sources, so `npm run cli` and
// the `rapid-review` command work straight after `npm install` on a fresh clone.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const sourceDirs = ['bot', 'graph', 'cards', 'scheduler', 'review', 'infra', 'cli', 'test'];

function newestSource(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const stamp = path.join(root, 'dist', '.tsbuildinfo');
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const newest = Math.max(...sourceDirs.map((d) => newestSource(path.join(root, d))));
  if (built >= newest) return;
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch {
    console.error('rapid-review: the TypeScript build failed (errors above); nothing was run.');
    process.exit(1);
  }
  // tsc leaves the build info untouched when nothing changed; touch it so the next check is cheap.
  const now = new Date();
  if (fs.existsSync(stamp)) fs.utimesSync(stamp, now, now);
}

module.exports = { ensureBuild };
if (require.main === module) ensureBuild();
