import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

/** The bot scope each Web API method we call needs (from Slack's method reference). */
const scopeOf: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'files.uploadV2': 'files:write',
  'users.info': 'users:read',
  'views.open': null,
  'views.publish': null,
  // Checking the bot token needs no scope.
  'auth.test': null,
};
/** The subscriptions each event we listen to needs, and their scopes. */
const eventsOf: Record<string, { events: string[]; scopes: string[] }> = {
  message: { events: ['message.channels', 'message.groups'], scopes: ['channels:history', 'groups:history'] },
  app_home_opened: { events: ['app_home_opened'], scopes: [] },
};

const dir = path.resolve('adapters/slack');
const source = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
  .join('\n');
const manifest = parse(fs.readFileSync('manifest/slack.yaml', 'utf8'));

describe('manifest/slack.yaml', () => {
  const methods = [
    ...new Set([...source.matchAll(/client\.([a-z]+)\.([a-zA-Z0-9]+)\(/g)].map((m) => `${m[1]}.${m[2]}`)),
  ];
  const events = [...new Set([...source.matchAll(/app\.event\('([a-z_]+)'/g)].map((m) => m[1]!))];

  it('finds the Web API calls and events in the adapter (so the checks below are not vacuous)', () => {
    expect(methods).toEqual(
      expect.arrayContaining(['chat.postMessage', 'chat.update', 'views.open', 'users.info', 'files.uploadV2']),
    );
    expect(events).toEqual(expect.arrayContaining(['message', 'app_home_opened']));
  });

  it('asks for exactly the bot scopes the code calls for', () => {
    const needed = new Set<string>(['commands']);
    for (const method of methods) {
      expect(scopeOf, `no known scope for ${method}`).toHaveProperty([method]);
      if (scopeOf[method]) needed.add(scopeOf[method]!);
    }
    for (const event of events) for (const scope of eventsOf[event]!.scopes) needed.add(scope);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('subscribes to the events the code listens to, and only those', () => {
    const needed = events.flatMap((e) => eventsOf[e]!.events);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...needed].sort());
  });

  it('declares /missing, interactivity and the Home tab on the bot’s one endpoint', () => {
    expect(source).toContain("app.command('/missing'");
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/missing', url: 'https://YOUR-HOST/slack/events' }),
    ]);
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: 'https://YOUR-HOST/slack/events',
    });
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://YOUR-HOST/slack/events');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });
});
