/**
 * `npm run dev`: the bot, the Graph sandbox and the Microsoft 365 Agents Playground for the sample
 * partnership, on this machine, with no tenant and no network. Ctrl-C stops all three.
 *
 *   npm run dev                 as the business unit officer, from an empty database
 *   npm run dev -- --as police  with the police representative at the keyboard
 *   npm run dev -- --keep       keep the reviews of the last run (data/dev/rapid-review.db)
 *   npm run dev -- --empty-directory   start without the sample partnership's directory
 *   npm run dev -- --port 56151 the playground on another port
 *   npm run dev -- --now 2026-11-20T10:00:00Z   the bot's clock starts there (or RR_DEV_NOW=ISO)
 *
 * docs/local-run.md explains the sample partnership, switching people and what the playground cannot do.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { clockStartingAt, defaultPorts, repoRoot, startDevStack, type DevStack } from './devStack';
import { samplePeople, samplePerson } from './samplePartnership';

function options() {
  const { values } = parseArgs({
    options: {
      as: { type: 'string' },
      keep: { type: 'boolean' },
      'empty-directory': { type: 'boolean' },
      port: { type: 'string' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  return values;
}

function usage(): string {
  return [
    'usage: npm run dev [-- --as PERSON] [--keep] [--empty-directory] [--port N] [--now ISO]',
    `  PERSON: ${samplePeople.map((p) => p.key).join(', ')} (default officer)`,
    "  ISO: an instant the bot's clock starts from, e.g. 2026-11-20T10:00:00Z (default RR_DEV_NOW, else now)",
  ].join('\n');
}

function banner(
  stack: DevStack,
  seconds: number,
  keep: boolean,
  dataDir: string,
  start: Date | undefined,
): string {
  const people = samplePeople
    .map((p) => `    ${p.key.padEnd(8)} ${p.name.padEnd(15)} ${p.email.padEnd(34)} ${p.role}`)
    .join('\n');
  return [
    '',
    `Rapid Review, local run (ready in ${seconds.toFixed(1)} s)`,
    '',
    `  Open ${stack.playgroundUrl} in a browser.`,
    '',
    `  bot          ${stack.botUrl}/api/messages (via the act-as relay ${stack.relay.url})`,
    `  Graph        ${stack.graphUrl} (sandbox; control API at /_sandbox/)`,
    ...(start
      ? [`  clock        the bot's day is ${start.toISOString()} (--now / RR_DEV_NOW), running on from there`]
      : []),
    `  data         ${path.relative(process.cwd(), dataDir) || '.'}/ (${keep ? 'kept from the last run' : 'empty database'}; bot.log, graph-requests.jsonl, playground.log)`,
    '',
    '  People (type "act as police" etc. in the chat to be someone else; "act as me" to come back):',
    people,
    '',
    stack.spareChannels.length > 0
      ? '  The first review opened gets the playground\'s "Review channel".'
      : '  The playground\'s "Review channel" is taken by a kept review: new reviews cannot be shown (run without --keep).',
    "  Reloading the page clears the playground's conversations (the bot keeps its data). Ctrl-C stops everything.",
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let values;
  try {
    values = options();
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage()}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage());
    return;
  }
  const currentUser = values.as === undefined ? 'officer' : samplePerson(values.as)?.key;
  if (!currentUser) {
    console.error(`--as: no sample person '${values.as}'\n${usage()}`);
    process.exit(2);
  }
  const playgroundPort = values.port === undefined ? defaultPorts.playground : Number(values.port);
  if (!Number.isInteger(playgroundPort) || playgroundPort < 1 || playgroundPort > 65535) {
    console.error(`--port: must be a port number, got '${values.port}'`);
    process.exit(2);
  }

  const nowText = values.now ?? process.env.RR_DEV_NOW;
  const start = nowText === undefined || nowText === '' ? undefined : new Date(nowText);
  if (start && Number.isNaN(start.getTime())) {
    console.error(`--now: not a date and time, got '${nowText}'\n${usage()}`);
    process.exit(2);
  }

  const dataDir = path.join(repoRoot(), 'data', 'dev');
  const started = Date.now();
  const say = (line: string) => console.log(line);
  const stack = await startDevStack({
    dataDir,
    fresh: !values.keep,
    sampleDirectory: !values['empty-directory'],
    currentUser,
    ports: { playground: playgroundPort },
    say,
    ...(start && { clock: clockStartingAt(start) }),
  });
  console.log(banner(stack, (Date.now() - started) / 1000, Boolean(values.keep), dataDir, start));

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) {
      // A second Ctrl-C: do not wait for a slow shutdown.
      process.exit(code);
    }
    stopping = true;
    console.log('Stopping the playground, the bot and the Graph sandbox…');
    await stack.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  stack.playgroundExited.then((code) => {
    if (stopping) return;
    console.error(
      `The Agents Playground stopped (${typeof code === 'string' ? code : `exit code ${code}`}).`,
    );
    void stop(1);
  });
}

main().catch((error: unknown) => {
  console.error(`npm run dev: ${(error as Error).message}`);
  process.exit(1);
});
