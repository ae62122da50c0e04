/**
 * SQLite's write-ahead log copied back into the database file on a thread of its own. By default
 * SQLite does this inside whichever commit takes the log past 1,000 pages, so every few dozen saves
 * one person's card action waited for megabytes to be written and synced. Here the connection the bot
 * works on never checkpoints (wal_autocheckpoint = 0) and a worker thread with its own connection runs
 * a PASSIVE checkpoint every second, which copies what no reader still needs and never blocks a writer
 * (https://www.sqlite.org/pragma.html#pragma_wal_checkpoint, https://www.sqlite.org/wal.html).
 */
import type Database from 'better-sqlite3';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const checkpoint = (id) => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ id, checkpointed: result ? result.checkpointed : 0 });
  } catch (error) {
    parentPort.postMessage({ id, failed: String(error && error.message) });
  }
};
const timer = setInterval(() => checkpoint(undefined), workerData.intervalMs);
parentPort.on('message', (message) => {
  if (typeof message === 'number') checkpoint(message);
  if (message === 'close') {
    clearInterval(timer);
    checkpoint(undefined);
    db.close();
    parentPort.close();
  }
});
`;

export interface WalCheckpoints {
  /** Pages copied back by the checkpoints so far (tests, the bench). */
  readonly checkpointedPages: number;
  /** Asks for a checkpoint now; resolves when the worker has run it. */
  checkpointNow(): Promise<void>;
  /** Runs a last checkpoint and ends the thread. */
  close(): Promise<void>;
}

/**
 * Moves `database`'s checkpoints to a worker thread. If the thread cannot start, SQLite's automatic
 * checkpoints are switched back on, so the log never grows without bound.
 */
export function checkpointInBackground(
  database: Database.Database,
  path: string,
  intervalMs = 1000,
): WalCheckpoints {
  database.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { driver: require.resolve('better-sqlite3'), path, intervalMs },
  });
  worker.unref();
  let checkpointedPages = 0;
  const waiting = new Map<number, () => void>();
  let asked = 0;
  let ended = false;
  const fallBack = () => {
    ended = true;
    if (database.open) database.pragma('wal_autocheckpoint = 1000');
    for (const resolve of waiting.values()) resolve();
    waiting.clear();
  };
  worker.on('message', (message: { id?: number; checkpointed?: number }) => {
    checkpointedPages += Math.max(0, message.checkpointed ?? 0);
    if (message.id === undefined) return;
    waiting.get(message.id)?.();
    waiting.delete(message.id);
  });
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    get checkpointedPages() {
      return checkpointedPages;
    },
    checkpointNow() {
      if (ended) return Promise.resolve();
      asked += 1;
      const id = asked;
      // Held by the answer: an unreferenced thread would let the process exit mid-wait.
      worker.ref();
      return new Promise<void>((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage(id);
      }).finally(() => {
        if (waiting.size === 0) worker.unref();
      });
    },
    async close() {
      if (ended) return;
      const exited = once(worker, 'exit');
      worker.ref();
      worker.postMessage('close');
      await exited;
    },
  };
}
