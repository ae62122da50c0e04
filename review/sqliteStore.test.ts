/**
 * What only the SQLite store promises beyond the shared contract: the file and its folder are
 * created, WAL is on, and two *processes* writing one review never lose an update. Inside one Node
 * process better-sqlite3 runs each update to completion before the next starts, so only a second
 * process makes the writers truly overlap.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sampleReview } from '../test/fixtures/sampleReview';
import type { Review } from './model';
import { defaultSqlitePath, openSqliteStore, type SqliteStore } from './sqliteStore';
import type { ChangeResult } from './store';

/** Holds the CPU inside the change, widening the read-modify-write window another writer could hit. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose
  }
}

function appendSignOff(by: string): (current: Review) => ChangeResult {
  return (current) => {
    spin(2);
    return {
      ok: true,
      review: {
        ...current,
        signOffs: [
          ...current.signOffs,
          { agencyKind: 'other', by: { name: by }, at: '2026-03-13T09:00:00.000Z' },
        ],
      },
      audit: [
        { reviewId: current.id, at: '2026-03-13T09:00:00.000Z', actor: { system: 'test' }, action: by },
      ],
    };
  };
}

/*
 * The second writer: a plain Node process that loads the store's TypeScript through the compiler's
 * transpiler (no build step), says 'ready', waits for 'go', then appends its sign-offs.
 */
const writerScript = `
const fs = require('node:fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
const [storePath, dbPath, reviewId, count] = process.argv.slice(1);
const { openSqliteStore } = require(storePath);
const store = openSqliteStore({ path: dbPath });
const spin = (ms) => { const until = performance.now() + ms; while (performance.now() < until) {} };
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
  for (let i = 0; i < Number(count); i += 1) {
    await store.updateReview(reviewId, (current) => {
      spin(2);
      const by = 'child-' + i;
      return {
        ok: true,
        review: { ...current, signOffs: [...current.signOffs, { agencyKind: 'other', by: { name: by }, at: '2026-03-13T09:00:00.000Z' }] },
        audit: [{ reviewId, at: '2026-03-13T09:00:00.000Z', actor: { system: 'test' }, action: by }],
      };
    });
    await new Promise((r) => setTimeout(r, 3));
  }
  await store.close();
  process.exit(0);
});
`;

/** A process that opens a file store, saves, closes it and says so: close must not strand it. */
const closerScript =
  writerScript.slice(0, writerScript.indexOf('const [storePath')) +
  `
const [storePath, dbPath] = process.argv.slice(1);
const { openSqliteStore } = require(storePath);
const store = openSqliteStore({ path: dbPath });
store.migrate().then(() => store.close()).then(() => process.stdout.write('closed'));
`;

function startWriter(dbPath: string, reviewId: string, count: number) {
  const child = spawn(
    process.execPath,
    ['-e', writerScript, resolve(__dirname, 'sqliteStore.ts'), dbPath, reviewId, String(count)],
    { cwd: resolve(__dirname, '..'), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done, fail) =>
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`second writer exited with ${code}: ${stderr}`)),
    ),
  );
  const ready = new Promise<void>((done, fail) => {
    child.stdout.once('data', () => done());
    exited.catch(fail);
  });
  return { ready, go: () => child.stdin.write('go\n'), exited };
}

describe('SqliteStore', () => {
  let dir: string;
  const stores: SqliteStore[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rr-sqlite-'));
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  function open(path: string): SqliteStore {
    const store = openSqliteStore({ path });
    stores.push(store);
    return store;
  }

  it('creates the database file and its missing folders, in WAL mode', async () => {
    const path = join(dir, 'nested', 'deeper', 'reviews.db');
    const store = open(path);
    await store.migrate();

    expect(existsSync(path)).toBe(true);
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.database.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(defaultSqlitePath).toBe('./data/rapid-review.db');
  });

  it('never checkpoints the write-ahead log inside a save: a thread of its own copies it back', async () => {
    const path = join(dir, 'reviews.db');
    // A minute apart, so the thread's own timer does not run while the test writes.
    const store = openSqliteStore({ path, checkpointEveryMs: 60_000 });
    stores.push(store);
    await store.migrate();
    // SQLite's default would copy the log back inside the commit that passes 1,000 pages.
    expect(store.database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const review = sampleReview();
    await store.createReview(review, []);
    // Different text each time: SQLite rewrites only the pages whose bytes change.
    const bulky = (i: number) => randomBytes(32 * 1024).toString('hex') + i;
    let last = '';
    for (let i = 0; i < 80; i += 1) {
      last = bulky(i);
      await store.updateReview(review.id, (current) => ({
        ok: true,
        review: {
          ...current,
          signOffs: [{ agencyKind: 'other', by: { name: last }, at: current.openedAt }],
        },
        audit: [],
      }));
    }
    // More than 1,000 pages (4 KB each) written and none copied back by the saves themselves.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1000 * 4096);
    expect(store.checkpoints?.checkpointedPages ?? 0).toBeLessThan(1000);
    await store.checkpoints?.checkpointNow();
    expect(store.checkpoints?.checkpointedPages).toBeGreaterThan(1000);
    expect((await store.getReview(review.id))?.signOffs[0]?.by.name).toBe(last);
  });

  it('lets a process that closes its store carry on after the close', async () => {
    const child = spawn(
      process.execPath,
      ['-e', closerScript, resolve(__dirname, 'sqliteStore.ts'), join(dir, 'closed.db')],
      { cwd: resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(stdout).toBe('closed');
  });

  it("checkpoints inside the saves when asked to (SQLite's own default)", async () => {
    const store = openSqliteStore({ path: join(dir, 'inline.db'), checkpoints: 'inline' });
    stores.push(store);
    expect(store.database.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(store.checkpoints).toBeUndefined();
  });

  it('keeps an in-memory database private to its connection', async () => {
    const first = openSqliteStore({ memory: true });
    const second = openSqliteStore({ memory: true });
    stores.push(first, second);
    await first.migrate();
    const review = sampleReview();
    await first.createReview(review, []);

    expect((await first.getReview(review.id))?.reference).toBe(review.reference);
    expect(await second.schemaVersion()).toBe(0);
  });

  it('still reports a duplicate reference when another module copy loaded SQLite first', async () => {
    // better-sqlite3 builds its errors from the class of whichever copy loaded the native addon
    // first; jest gives every test file its own copy, so the store must not rely on instanceof.
    let isolated: { store: typeof import('./sqliteStore'); port: typeof import('./store') } | undefined;
    await jest.isolateModulesAsync(async () => {
      isolated = { store: await import('./sqliteStore'), port: await import('./store') };
    });
    if (!isolated) throw new Error('isolated modules did not load');
    const copy = isolated.store.openSqliteStore({ path: join(dir, 'reviews.db') });
    stores.push(copy);
    await copy.migrate();
    await copy.createReview(sampleReview({ reference: 'RR-2026-077' }), []);

    await expect(copy.createReview(sampleReview({ reference: 'RR-2026-077' }), [])).rejects.toBeInstanceOf(
      isolated.port.DuplicateReferenceError,
    );
  });

  it('starts a second instance while another holds the write lock: unchanged alert settings need no lock', async () => {
    const path = join(dir, 'reviews.db');
    const first = open(path);
    await first.migrate();
    expect(await first.recordAlertSettings('england', 'settings-1')).toBe(true);
    const second = open(path);
    first.database.exec('BEGIN IMMEDIATE');
    try {
      // Taking the write lock would wait out the busy timeout (5 s) and then fail the tick.
      expect(await second.recordAlertSettings('england', 'settings-1')).toBe(false);
    } finally {
      first.database.exec('ROLLBACK');
    }
    expect(await second.recordAlertSettings('england', 'settings-2')).toBe(true);
  });

  it('never loses an update when a second process writes the same review at the same time', async () => {
    const path = join(dir, 'reviews.db');
    const store = open(path);
    await store.migrate();
    const review = sampleReview();
    await store.createReview(review, []);

    const writer = startWriter(path, review.id, 25);
    await writer.ready;
    writer.go();
    for (let i = 0; i < 25; i += 1) {
      await store.updateReview(review.id, appendSignOff(`parent-${i}`));
      // Leave the lock free for a moment: SQLite's busy handler polls, so a writer that re-takes the
      // lock at once would starve the other and the two would queue instead of overlap.
      await new Promise((done) => setTimeout(done, 3));
    }
    await writer.exited;

    const saved = await store.getReview(review.id);
    const signers = saved?.signOffs.map((s) => s.by.name) ?? [];
    expect(signers.filter((name) => name.startsWith('parent-'))).toHaveLength(25);
    expect(signers.filter((name) => name.startsWith('child-'))).toHaveLength(25);
    expect(saved?.version).toBe(51);
    expect((await store.auditTrail(review.id)).map((e) => e.action)).toEqual(signers);
    // Both really wrote while the other was writing: child sign-offs land between the parent's.
    const firstParent = signers.findIndex((name) => name.startsWith('parent-'));
    const lastParent = signers.map((name) => name.startsWith('parent-')).lastIndexOf(true);
    const childBetween = signers.slice(firstParent, lastParent).filter((name) => name.startsWith('child-'));
    expect(childBetween.length).toBeGreaterThan(0);
  }, 20_000);
});
