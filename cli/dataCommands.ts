/**
 * The commands that look after the data itself, run by an administrator with the bot's own settings
 * in the environment (the same store and DATA_ENCRYPTION_KEYS the bot uses):
 *   rotate-keys [--batch N] [--by NAME]   re-seal every review under the current key
 *   audit verify                          walk the audit trail's hash chain; exit 1 at a broken line
 * Every change they make is audited; the actor is the command and the operator who ran it.
 */
import { userInfo } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadEnvironmentConfig } from '../bot/certificate';
import type { AuditEvent } from '../review/model';
import { openStore } from '../review/openStore';
import type { ReviewStore } from '../review/store';
import { UsageError, type CliIo } from './usage';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parsed(command: string, args: string[], options: Options) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** The store the bot itself would open, from the same environment. */
export async function storeFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<ReviewStore> {
  return openStore(loadEnvironmentConfig(env).store);
}

export function operatorActor(command: string, by: unknown): AuditEvent['actor'] {
  const operator = typeof by === 'string' && by.trim() !== '' ? by.trim() : safeUserName();
  return { system: `rapid-review ${command} (run by ${operator})` };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown operator';
  }
}

export function positiveWhole(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${field}: must be a whole number of at least 1 (got '${String(value)}')`);
  }
  return Number(value);
}

export async function rotateKeysCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parsed('rotate-keys', args, { batch: { type: 'string' }, by: { type: 'string' } });
  const batchSize = positiveWhole('--batch', values.batch, 100);
  const store = await storeFromEnvironment();
  try {
    const outcome = await store.resealReviews({
      batchSize,
      actor: operatorActor('rotate-keys', values.by),
      at: new Date().toISOString(),
    });
    io.out(
      `rotate-keys: ${outcome.reviews} review(s) read, ${outcome.resealed} re-sealed under the current key ` +
        `in ${outcome.batches} batch(es) of at most ${batchSize}; older keys may now be removed`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

export async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parsed('audit', args, {});
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    throw new UsageError('audit: usage: audit verify');
  }
  const store = await storeFromEnvironment();
  try {
    const report = await store.verifyAuditChain();
    if (report.broken) {
      io.out(
        `audit verify: BROKEN at line seq ${report.broken.seq}: it ${report.broken.reason}; ` +
          `${report.lines - 1} line(s) before it hold`,
      );
      return 1;
    }
    io.out(`audit verify: ${report.lines} line(s), chain intact; head ${report.head}`);
    return 0;
  } finally {
    await store.close();
  }
}
