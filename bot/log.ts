/**
 * Structured JSON logs. Subject data never reaches a log line: flows log review references and ids
 * only, and these paths are redacted as a second line of defence in case an object slips through.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export const redactedPaths = [
  'subject',
  '*.subject',
  'review.subject',
  'childName',
  '*.childName',
  'familyMembers',
  '*.familyMembers',
  'answers',
  '*.answers',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { app: 'rapid-review-bot' } },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
