/**
 * `npm start`: the built bot with the configuration from the environment. A bad or missing setting
 * stops start-up with one line naming it; production refuses to run unauthenticated (config.ts).
 */
import { startBotApp } from './app';
import { loadEnvironmentConfig } from './certificate';
import { ConfigError } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadEnvironmentConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await startBotApp(config);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`rapid-review-bot: ${(error as Error).message}`);
  process.exit(1);
});
