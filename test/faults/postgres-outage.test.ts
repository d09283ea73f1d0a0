// PostgreSQL gone for half a minute while people keep writing in Slack, Teams and the playground:
// every message is answered "recording delayed" at once, and once the database is back each is in
// the record once, in the order it was sent, at the time it was sent. The same Slack message under
// two event ids, and a Teams activity id reused in two reply chains, are each recorded exactly right.
import fs from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { verifyChain } from '../../src/domain/record.ts';
import { FakeClock } from '../fakes/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { describeError } from '../../src/messages/texts.ts';
import { fakeSlack } from '../fakes/slack-web-api.ts';
import { homesYaml } from '../support/homes.ts';
import { startPostgres, type PostgresCluster } from '../support/postgres.ts';
import { cuttableProxy } from '../support/proxy.ts';
import { postEvent, postForm, slashCommand, SIGNING_SECRET, users } from '../support/slack.ts';
import { CHANNEL as TEAMS_CHANNEL, channelMessage, people, thread } from '../support/teams/activities.ts';
import { APP_ID, channelToken, CONNECTOR, publishKeys, signingKey, TENANT } from '../support/teams/bot-framework.ts';
import { heldCommandsFileName } from '../../src/store/held-commands-file.ts';
import { tempDir } from '../support/temp.ts';

const DELAYED = describeError({ code: 'recording_delayed' });
const OUTAGE_MS = 30_000;
const login = 'https://login.outage.example';
const key = signingKey('bf-key-outage');

let cluster: PostgresCluster;
let proxy: Awaited<ReturnType<typeof cuttableProxy>> | null = null;
let app: App | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());
afterEach(async () => {
  await proxy?.restore().catch(() => undefined);
  await app?.stop();
  await proxy?.close();
  app = null;
  proxy = null;
  nock.cleanAll();
  nock.enableNetConnect();
});

/** Microsoft's side of Teams: keys, the bot's sign-in, and a connector that records what it is sent. */
function teamsStandIn() {
  publishKeys([key]);
  nock(login)
    .persist()
    .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
    .reply(200, {
      issuer: `${login}/${TENANT}/v2.0`,
      authorization_endpoint: `${login}/${TENANT}/oauth2/v2.0/authorize`,
      token_endpoint: `${login}/${TENANT}/oauth2/v2.0/token`,
      jwks_uri: `${login}/keys`,
    })
    .post(`/${TENANT}/oauth2/v2.0/token`)
    .query(true)
    .reply(200, { token_type: 'Bearer', expires_in: 3600, access_token: 'outage-test-token' });
  const sent: { path: string; body: string }[] = [];
  let next = 1_700_000_500_000;
  nock(CONNECTOR)
    .persist()
    .post(/.*/)
    .reply(function (uri, body) {
      sent.push({ path: decodeURIComponent(uri), body: JSON.stringify(body) });
      const id = String(++next);
      // A new post in the channel starts its own reply chain.
      return uri.endsWith('/v3/conversations') ? [201, { id: thread(id), activityId: id }] : [200, { id }];
    })
    .put(/.*/)
    .reply(200, function (uri) {
      return { id: uri.split('/').at(-1) };
    });
  return { sent };
}

it('holds every message from Slack, Teams and the playground through 30 seconds without PostgreSQL, and records each once, in order, afterwards', async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const slack = fakeSlack();
  const teams = teamsStandIn();
  const url = new URL(await cluster.createDatabase('outage_three_platforms'));
  proxy = await cuttableProxy(url);
  const dir = tempDir('outage-');
  fs.writeFileSync(
    path.join(dir, 'homes.yaml'),
    homesYaml({
      id: 'oak-house',
      channels: { slack: 'C0OAK', teams: TEAMS_CHANNEL, web: 'oak-house' },
      staff: [
        { id: 'sam', name: 'Sam Okafor', role: 'manager', slack: users.sam, teams: people.sam.aadObjectId, web: 'sam' },
        { id: 'jo', name: 'Jo Reid', role: 'support_worker', slack: users.jo, teams: people.jo.aadObjectId, web: 'jo' },
      ],
      onCall: ['sam'],
      children: ['AJ', 'BT', 'EF', 'CD'].map((alias) => ({ id: `child-${alias.toLowerCase()}`, alias, plan: {} })),
    }),
  );
  const clock = new FakeClock(new Date('2026-11-20T22:10:00Z'));
  const env = parseEnv({
    DATA_DIR: dir,
    HOMES_FILE: path.join(dir, 'homes.yaml'),
    DATABASE_URL: proxy.url(url),
    PORT: '0',
    INSTANCE_ID: 'outage-test',
    PLAYGROUND: 'on',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    BOT_ID: APP_ID,
    BOT_PASSWORD: 'the-client-secret',
    BOT_TYPE: 'SingleTenant',
    BOT_TENANT_ID: TENANT,
    BOT_LOGIN_URL: `${login}/${TENANT}`,
  });
  app = await startApp({ env, clock, logger: silentLogger, startTicking: false });
  const base = app.url;
  const web = (route: string, body: unknown) =>
    fetch(`${base}/api/web/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { ok: boolean; error?: string; episodeId?: string },
    }));
  const toTeams = (activity: unknown) =>
    fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${channelToken(key)}` },
      body: JSON.stringify(activity),
    });

  // Before the outage: AJ reported in Slack, BT and EF in Teams, CD in the playground.
  expect((await postForm(`${base}/slack/events`, slashCommand(users.jo, 'AJ'))).status).toBe(200);
  expect((await toTeams(channelMessage({ id: '1700000000101', text: 'missing BT', mentionBot: true }))).status).toBe(
    200,
  );
  expect((await toTeams(channelMessage({ id: '1700000000102', text: 'missing EF', mentionBot: true }))).status).toBe(
    200,
  );
  expect((await web('command', { user: 'jo', channel: 'oak-house', text: '/missing CD' })).body.ok).toBe(true);
  await app.ticker.tick();
  const episodes = await app.store.transaction((tx) => tx.episodes.listActive());
  const byAlias = async (alias: string) => {
    for (const e of episodes) {
      const child = await app!.store.transaction((tx) => tx.children.get(e.childId));
      if (child?.alias === alias) return e;
    }
    throw new Error(`no episode for ${alias}`);
  };
  const [aj, bt, ef, cd] = await Promise.all(['AJ', 'BT', 'EF', 'CD'].map(byAlias));
  for (const e of [aj, bt, ef, cd]) expect(e!.threadRef).toBeTruthy();
  const slackRoot = aj!.threadRef!.split('|')[1]!;
  const rootOf = (threadRef: string) => /messageid=(\d+)/.exec(threadRef)![1]!;
  const btRoot = rootOf(bt!.threadRef!);
  const efRoot = rootOf(ef!.threadRef!);
  const record = (episodeId: string) => app!.store.transaction((tx) => tx.record.list(episodeId));
  const before = new Map(
    await Promise.all([aj, bt, ef, cd].map(async (e) => [e!.id, (await record(e!.id)).length] as const)),
  );

  // The playground page is open on the home, as it is when someone writes in a thread there.
  expect((await fetch(`${base}/api/web/view?channel=oak-house&user=jo`)).status).toBe(200);
  // PostgreSQL goes away. For 30 seconds, each platform keeps sending, one message a round.
  await proxy.cut();
  const cutAt = performance.now();
  const sent = { aj: [] as string[], bt: [] as string[], ef: [] as string[], cd: [] as string[] };
  const times = { aj: [] as string[], bt: [] as string[], ef: [] as string[], cd: [] as string[] };
  let round = 0;
  while (performance.now() - cutAt < OUTAGE_MS) {
    round += 1;
    clock.advanceMinutes(1);
    const at = clock.now().toISOString();
    const texts = {
      aj: `Slack ${round}: checked the park`,
      bt: `Teams ${round}: rang her friend`,
      ef: `Teams ${round}: no answer on his phone`,
      cd: `Playground ${round}: walked the canal path`,
    };
    const slackTs = `1700001${String(round).padStart(3, '0')}.000100`;
    const slackMessage = {
      type: 'message',
      channel: 'C0OAK',
      user: users.jo,
      text: texts.aj,
      ts: slackTs,
      thread_ts: slackRoot,
    };
    // Teams makes an activity id unique only within a conversation: the same id in both chains.
    const teamsId = String(1_700_000_900_000 + round);
    const started = performance.now();
    const [slackAnswer, slackAgain, btAnswer, efAnswer, webAnswer] = await Promise.all([
      postEvent(`${base}/slack/events`, slackMessage, `Ev-out-${round}`),
      // The same Slack message (channel and ts) under a second event id.
      postEvent(`${base}/slack/events`, slackMessage, `Ev-out-${round}-again`),
      toTeams(channelMessage({ id: teamsId, root: btRoot, text: texts.bt })),
      toTeams(channelMessage({ id: teamsId, root: efRoot, text: texts.ef })),
      web('message', {
        user: 'jo',
        channel: 'oak-house',
        episodeId: cd!.id,
        text: texts.cd,
        requestId: `web-out-${round}`,
      }),
    ]);
    // Answered at once, every one of them, and in words.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect([slackAnswer.status, slackAgain.status, btAnswer.status, efAnswer.status, webAnswer.status]).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(webAnswer.body).toEqual({ ok: false, error: DELAYED });
    for (const alias of ['aj', 'bt', 'ef', 'cd'] as const) {
      sent[alias].push(texts[alias]);
      times[alias].push(at);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  expect(round).toBeGreaterThanOrEqual(5);
  // Slack's people were told privately, Teams' in the reply chain, that recording is delayed.
  await expect
    .poll(() => slack.of('chat.postEphemeral').filter((c) => String(c.body.text) === DELAYED).length)
    .toBe(round * 2);
  for (const root of [btRoot, efRoot])
    expect(
      teams.sent.filter((s) => s.path.includes(`messageid=${root}`) && s.body.includes('Recording is delayed')).length,
    ).toBe(round);

  // PostgreSQL is back: the next tick applies what was held, in the order it came.
  await proxy.restore();
  clock.advanceMinutes(1);
  await app.ticker.tick();
  for (const [alias, episode] of Object.entries({ aj, bt, ef, cd }) as [keyof typeof sent, typeof aj][]) {
    const entries = await record(episode!.id);
    const added = entries.slice(before.get(episode!.id)).filter((e) => e.kind === 'message');
    expect(
      added.map((e) => e.text),
      alias,
    ).toEqual(sent[alias]);
    expect(
      added.map((e) => e.at.toISOString()),
      alias,
    ).toEqual(times[alias]);
    expect(
      added.every((e) => e.authorName === 'Jo Reid'),
      alias,
    ).toBe(true);
    expect(verifyChain(entries).ok, alias).toBe(true);
  }
  // Nothing is left waiting, and a tick more adds nothing.
  expect(fs.readFileSync(path.join(dir, heldCommandsFileName), 'utf8').trim()).toBe('');
  const counts = await Promise.all([aj, bt, ef, cd].map(async (e) => (await record(e!.id)).length));
  await app.ticker.tick();
  expect(await Promise.all([aj, bt, ef, cd].map(async (e) => (await record(e!.id)).length))).toEqual(counts);
}, 120_000);
