import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterStatus, demoHomesFile, EnvError, parseEnv } from '../../src/config/env.ts';

/** The problems a bad environment is rejected with. */
function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
  throw new Error('expected the settings to be rejected, but they were accepted');
}

describe('settings from the environment', () => {
  it('starts with safe defaults when nothing is set', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      HOMES_FILE: demoHomesFile,
      LOG_LEVEL: 'info',
      TICK_SECONDS: 5,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
    expect(env.BOT_ID).toBeUndefined();
  });

  it('defaults HOMES_FILE to the demo file that ships beside the code', () => {
    expect(demoHomesFile.split(path.sep).slice(-3)).toEqual(['src', 'config', 'demo-homes.yaml']);
    expect(fs.existsSync(demoHomesFile)).toBe(true);
  });

  it('reads numbers and names from their strings', () => {
    const env = parseEnv({
      PORT: '8080',
      HOST: '0.0.0.0',
      TICK_SECONDS: '15',
      DATA_DIR: '/var/lib/bot',
      PLAYGROUND: 'off',
    });
    expect(env).toMatchObject({ PORT: 8080, HOST: '0.0.0.0', TICK_SECONDS: 15, DATA_DIR: '/var/lib/bot' });
  });

  it('will not put the playground on the network unless told that is meant', () => {
    const problems = problemsOf({ HOST: '0.0.0.0' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^HOST: 0\.0\.0\.0 would put the playground on the network, where anyone who reaches it can act as any member of staff\./,
    );
    expect(parseEnv({ HOST: '0.0.0.0', PLAYGROUND_ON_NETWORK: 'yes' }).HOST).toBe('0.0.0.0');
    // With Slack set the playground is off by default, so any HOST will do; on loopback it is fine.
    expect(parseEnv({ HOST: '0.0.0.0', SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 'y' }).HOST).toBe('0.0.0.0');
    expect(parseEnv({ HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
  });

  it.each(['abc', '70000', '-1', '30.5'])('names PORT when it is %j', (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT: /);
  });

  it.each(['7', '0', '45', '60', 'soon'])('names TICK_SECONDS when it is %j', (seconds) => {
    const problems = problemsOf({ TICK_SECONDS: seconds });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TICK_SECONDS: /);
  });

  it('explains what TICK_SECONDS must be', () => {
    expect(problemsOf({ TICK_SECONDS: '7' })).toEqual([
      'TICK_SECONDS: must divide a minute evenly (1, 2, 3, 5, 10, 15, 20 or 30)',
    ]);
  });

  it('names every bad setting at once, in the error message too', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'abc', TICK_SECONDS: '7', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.map((p) => p.split(':')[0]).sort();
    expect(problems).toEqual(['LOG_LEVEL', 'PORT', 'TICK_SECONDS']);
    expect((error as Error).message).toMatch(/^Some settings are not valid:\n {2}- /);
    expect((error as Error).message).toContain('  - LOG_LEVEL: ');
  });

  it('treats blank optional values as unset', () => {
    const env = parseEnv({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '   ', BOT_ID: '\t', DATABASE_URL: ' ' });
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
    expect(env.SLACK_SIGNING_SECRET).toBeUndefined();
    expect(env.BOT_ID).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('treats a blank setting with a default as unset, so `PORT=` in .env does not pick a random port', () => {
    const env = parseEnv({ PORT: '', HOST: ' ', DATA_DIR: '', HOMES_FILE: '', TICK_SECONDS: '', LOG_LEVEL: '' });
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      HOMES_FILE: demoHomesFile,
      TICK_SECONDS: 5,
      LOG_LEVEL: 'info',
    });
  });

  it('trims the optional credentials it keeps', () => {
    expect(parseEnv({ SLACK_BOT_TOKEN: '  xoxb-1  ' }).SLACK_BOT_TOKEN).toBe('xoxb-1');
  });
});

describe('which chat adapters start, and why', () => {
  const statusOf = (source: NodeJS.ProcessEnv) =>
    Object.fromEntries(adapterStatus(parseEnv(source)).map((a) => [a.name, a]));

  it('says Slack and Teams are off, naming the settings that are missing, when no credentials are set', () => {
    const status = statusOf({});
    expect(status.slack).toEqual({
      name: 'slack',
      enabled: false,
      why: 'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set',
    });
    expect(status.teams).toEqual({ name: 'teams', enabled: false, why: 'BOT_ID is not set' });
  });

  it('gives a reason for every adapter, on or off', () => {
    for (const source of [{}, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', BOT_ID: 'app-id' }])
      for (const adapter of adapterStatus(parseEnv(source))) expect(adapter.why.trim(), adapter.name).not.toBe('');
  });

  it('keeps Slack off while only one of its two settings is set', () => {
    expect(statusOf({ SLACK_BOT_TOKEN: 'xoxb-1' }).slack!.why).toBe(
      'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set',
    );
    expect(statusOf({ SLACK_SIGNING_SECRET: 'secret' }).slack!.why).toBe(
      'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set',
    );
  });

  it('treats a blank credential as missing', () => {
    const status = statusOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: '  ', BOT_ID: '' });
    expect(status.slack!.why).toBe('SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set');
    expect(status.teams!.why).toBe('BOT_ID is not set');
  });

  it('enables Slack over HTTP when both credentials are set, and says how it connects', () => {
    const status = statusOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' });
    expect(status.slack).toEqual({
      name: 'slack',
      enabled: true,
      why: 'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (HTTP at /slack/events)',
    });
    const socket = statusOf({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    expect(socket.slack?.why).toBe(
      'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (Socket Mode, Web API at SLACK_API_URL)',
    );
  });

  it('enables Teams when BOT_ID is set, and says where activities arrive', () => {
    const status = statusOf({ BOT_ID: 'app-id' });
    expect(status.teams).toEqual({
      name: 'teams',
      enabled: true,
      why: 'BOT_ID is set (Bot Framework endpoint at /api/messages)',
    });
  });
});
