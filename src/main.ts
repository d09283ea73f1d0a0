import 'dotenv/config';
import { startApp } from './app.ts';
import { adapterStatus, EnvError, parseEnv } from './config/env.ts';
import { HomesFileError } from './config/homes.ts';
import { createLogger } from './logging.ts';
import { systemClock } from './ports/clock.ts';
import { startupProblem } from './messages/startup-texts.ts';

/** The composition root: the only place that wires settings, store, engine and adapters together. */
async function main() {
  const env = parseEnv(process.env);
  const logger = createLogger({ level: env.LOG_LEVEL, pretty: process.stdout.isTTY === true });
  const app = await startApp({ env, clock: systemClock, logger });
  const database = env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${env.DATA_DIR}`;
  logger.info({ url: app.url, database, instance: env.INSTANCE_ID }, 'missing-episode bot started');
  for (const a of adapterStatus(env))
    logger.info({ adapter: a.name, enabled: a.enabled }, `${a.name}: ${a.enabled ? 'enabled' : 'disabled'} — ${a.why}`);
  logger.info({ healthz: `${app.url}/healthz` }, 'health check');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof HomesFileError) {
    console.error(error.message);
  } else {
    const env = envSettings();
    console.error(`The bot could not start: ${startupProblem(error, env)}`);
  }
  process.exit(1);
});

/** The settings the start-up message names, read again without failing (they parsed once already). */
function envSettings() {
  try {
    const env = parseEnv(process.env);
    return { dataDir: env.DATA_DIR, port: env.PORT, ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}) };
  } catch {
    return { dataDir: process.env.DATA_DIR ?? './data', port: Number(process.env.PORT ?? 3000) };
  }
}
