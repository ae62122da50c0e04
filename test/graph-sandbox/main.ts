// `npm run sandbox`: the Graph sandbox as a standalone server, for running the bot against it by hand
// or next to the local Teams client. Settings come from the environment:
//   SANDBOX_PORT         port (default 3979)
//   SANDBOX_HOST         interface (default 127.0.0.1)
//   SANDBOX_LOG          file to append one JSON line per Graph request to
//   SANDBOX_CHANNEL_IDS  comma-separated channel ids to hand out first (the local client's spare channels)
import { startGraphSandbox } from './graphSandbox';

const DEFAULT_PORT = 3979;

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SANDBOX_PORT must be a port number, got '${value}'`);
  }
  return port;
}

async function main(): Promise<void> {
  const channelIds = (process.env.SANDBOX_CHANNEL_IDS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const sandbox = await startGraphSandbox({
    port: portFromEnv(process.env.SANDBOX_PORT),
    host: process.env.SANDBOX_HOST || undefined,
    logFile: process.env.SANDBOX_LOG || undefined,
    channelIds,
  });
  console.log(`Graph sandbox listening: ${sandbox.url}`);
  console.log(
    `Control API: ${sandbox.url.replace(/\/v1\.0$/, '/_sandbox/')} (faults, busy, attendanceReports, grants, token, directory, teams, reset, state, requests)`,
  );
  if (channelIds.length > 0) console.log(`Spare channel ids: ${channelIds.length}`);

  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
