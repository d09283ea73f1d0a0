import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

/** The demo home configuration that ships for the embedded default. */
export const demoHomesFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo-homes.yaml');

/** Every setting of the bot, from the environment (and an optional .env file). See README. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optional,
  HOMES_FILE: z.string().default(demoHomesFile),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TICK_SECONDS: z.coerce
    .number()
    .int()
    .refine((n) => n >= 1 && n <= 30 && 60 % n === 0, 'must divide a minute evenly (1, 2, 3, 5, 10, 15, 20 or 30)')
    .default(5),
  INSTANCE_ID: z.string().default(`${os.hostname()}-${process.pid}`),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: optional,
  BOT_ID: optional,
  BOT_PASSWORD: optional,
  BOT_TYPE: optional,
  BOT_TENANT_ID: optional,
  BOT_OPENID_METADATA_URL: optional,
  BOT_TOKEN_ISSUER: optional,
  BOT_LOGIN_URL: optional,
  BOT_OAUTH_SCOPE: optional,
  BOT_CHANNEL_SERVICE: optional,
  BOT_SERVICE_URL: optional,
  PLAYGROUND: z.enum(['auto', 'on', 'off']).default('auto'),
  /** `yes` when the playground is meant to be reachable from other machines (a training room). */
  PLAYGROUND_ON_NETWORK: z.enum(['yes', 'no']).default('no'),
  /** The bot's public HTTPS address, for one-time download links to exported files. */
  PUBLIC_URL: optional.refine((v) => v === undefined || /^https?:\/\/[^\s/]+/.test(v), 'must be an http(s) address'),
});
export type Env = z.infer<typeof envSchema>;

/** A settings problem, naming the variable. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Some settings are not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment once, at start. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  // A blank line in .env (`PORT=`) means "not set": without this, PORT= coerces to 0 (a random
  // port) and HOST= listens on every interface instead of 127.0.0.1.
  const set = Object.fromEntries(Object.entries(source).filter(([, v]) => v === undefined || v.trim() !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) throw new EnvError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const env = parsed.data;
  // Anyone who can reach the playground can act as any member of staff: never by accident.
  if (playgroundEnabled(env) && !isLoopback(env.HOST) && env.PLAYGROUND_ON_NETWORK !== 'yes')
    throw new EnvError([
      `HOST: ${env.HOST} would put the playground on the network, where anyone who reaches it can act as any member of staff. Use HOST=127.0.0.1, PLAYGROUND=off, or PLAYGROUND_ON_NETWORK=yes if that is meant (a training room).`,
    ]);
  return env;
}

/** Whether an address only this machine can reach. */
const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * Whether the local playground runs: by default only when no chat platform is configured, since
 * anyone who can reach it can act as any member of staff.
 */
export function playgroundEnabled(env: Env): boolean {
  if (env.PLAYGROUND !== 'auto') return env.PLAYGROUND === 'on';
  return !(env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.BOT_ID);
}

/** The Slack adapter's settings, when both the bot token and the signing secret are set. */
export function slackSettings(env: Env) {
  if (!env.SLACK_BOT_TOKEN || !env.SLACK_SIGNING_SECRET) return null;
  return {
    botToken: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
  };
}

/** The Teams adapter's settings, when BOT_ID is set. */
export function teamsSettings(env: Env) {
  if (!env.BOT_ID) return null;
  return {
    env: {
      BOT_ID: env.BOT_ID,
      BOT_PASSWORD: env.BOT_PASSWORD,
      BOT_TYPE: env.BOT_TYPE,
      BOT_TENANT_ID: env.BOT_TENANT_ID,
    },
    endpoints: {
      openIdMetadataUrl: env.BOT_OPENID_METADATA_URL,
      tokenIssuer: env.BOT_TOKEN_ISSUER,
      loginUrl: env.BOT_LOGIN_URL,
      oauthScope: env.BOT_OAUTH_SCOPE,
      channelService: env.BOT_CHANNEL_SERVICE,
    },
    ...(env.BOT_SERVICE_URL ? { serviceUrl: env.BOT_SERVICE_URL } : {}),
  };
}

/** Which chat adapters the settings enable, and why (for the start-up message). */
export function adapterStatus(env: Env): { name: string; enabled: boolean; why: string }[] {
  const slack = Boolean(env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET);
  const teams = Boolean(env.BOT_ID);
  const web = playgroundEnabled(env);
  return [
    {
      name: 'web playground',
      enabled: web,
      why:
        env.PLAYGROUND !== 'auto'
          ? `PLAYGROUND=${env.PLAYGROUND}`
          : web
            ? 'no Slack or Teams credentials are set'
            : 'Slack or Teams credentials are set (PLAYGROUND=on to run it anyway)',
    },
    {
      name: 'slack',
      enabled: slack,
      why: slack
        ? `SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (${env.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP at /slack/events'}${env.SLACK_API_URL ? ', Web API at SLACK_API_URL' : ''})`
        : 'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set',
    },
    {
      name: 'teams',
      enabled: teams,
      why: teams
        ? `BOT_ID is set (Bot Framework endpoint at /api/messages${env.BOT_OPENID_METADATA_URL || env.BOT_CHANNEL_SERVICE ? ', custom authentication endpoints' : ''})`
        : 'BOT_ID is not set',
    },
  ];
}
