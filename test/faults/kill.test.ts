// The bot process killed outright (SIGKILL: no shutdown code runs) at the two worst moments, and
// started again on the same data folder: nothing recorded is lost, what was waiting to go to Slack
// goes exactly once, and no reminder is sent twice. The bot runs in a child process against a local
// stand-in for Slack, so the kill is a real one.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHomes } from '../../src/config/homes.ts';
import { verifyChain } from '../../src/domain/record.ts';
import { createEngine } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { openDatabase, sqliteFileName } from '../../src/store/database.ts';
import { toEntry } from '../../src/store/mappers.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { syncHomes } from '../../src/store/sync-homes.ts';
import { FakeClock } from '../fakes/clock.ts';
import { CHANNEL, homesYaml, postForm, slackHome, SIGNING_SECRET, slashCommand, users } from '../support/slack.ts';
import { startBotProcess, until, type BotProcess } from '../support/processes.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack-stand-in.ts';
import { tempDir } from '../support/temp.ts';

const T0 = new Date('2026-11-20T22:10:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms).toISOString();
const MINUTE = 60_000;

let slack: SlackStandIn | null = null;
let bots: BotProcess[] = [];
afterEach(async () => {
  await Promise.all(bots.map((b) => b.kill()));
  bots = [];
  await slack?.close();
  slack = null;
});

function dataDir(homes: string) {
  const dir = tempDir('faults-kill-');
  fs.writeFileSync(path.join(dir, 'homes.yaml'), homes);
  return dir;
}

/** Settings of a bot on this data folder, talking to the stand-in; each instance gets its own id. */
const settings = (dir: string, instance: string, clockStart: string) => ({
  DATA_DIR: dir,
  HOMES_FILE: path.join(dir, 'homes.yaml'),
  PORT: '0',
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: `${slack!.url}/api/`,
  INSTANCE_ID: instance,
  TICK_SECONDS: '1',
  CLOCK_START: clockStart,
});

async function start(dir: string, instance: string, clockStart: string) {
  const bot = await startBotProcess(settings(dir, instance, clockStart));
  bots.push(bot);
  return bot;
}

/** Everything in the database that matters here, read by a process of the test's own. */
async function readBack(dir: string) {
  const database = await openDatabase({ dataDir: dir });
  try {
    const db = database.prisma;
    const entries = await db.logEntry.findMany({ orderBy: [{ episodeId: 'asc' }, { seq: 'asc' }] });
    const chains = new Map<string, typeof entries>();
    for (const e of entries) chains.set(e.episodeId, [...(chains.get(e.episodeId) ?? []), e]);
    return {
      entries,
      broken: [...chains.values()].map((c) => verifyChain(c.map(toEntry))).filter((c) => !c.ok),
      outbox: await db.outboxMessage.findMany({ orderBy: { id: 'asc' } }),
      pings: await db.ping.findMany({ orderBy: { id: 'asc' } }),
    };
  } finally {
    await database.close();
  }
}

describe('killed between writing the record and posting to Slack', () => {
  it('posts the waiting cards exactly once after a restart, and the record is as it was', async () => {
    slack = await startSlackStandIn();
    const dir = dataDir(homesYaml);
    // Slack receives the root card's post but does not answer: the bot is mid-post when it dies.
    slack.state.stallPosts = true;
    const first = await start(dir, 'bot-a', T0.toISOString());
    const res = await postForm(`${first.url}/slack/events`, slashCommand(users.jo, 'AJ', `${slack.url}/commands/1`));
    expect(res.status).toBe(200);
    await until(() => slack!.stalled.length > 0, 30_000, 'the root card to be on its way to Slack');
    await first.kill();

    const dead = await readBack(dir);
    expect(dead.entries.map((e) => e.kind)).toEqual(['episode_opened']);
    expect(dead.outbox.map((o) => [o.target, o.status])).toEqual([
      ['episode_root', 'pending'],
      ['thread', 'pending'],
      ['thread', 'pending'],
    ]);
    expect(dead.outbox[0]!.claimedBy).toBe('bot-a'); // claimed by the dead process, for a minute
    expect(slack.posted).toEqual([]);

    // Slack is fine again; the bot comes back two minutes later, past the dead process's claim.
    slack.state.stallPosts = false;
    const second = await start(dir, 'bot-b', later(2 * MINUTE));
    await until(() => slack!.posted.length >= 3, 30_000, 'the three cards to be posted');
    // A few more ticks: nothing is posted again.
    await new Promise((r) => setTimeout(r, 2_500));
    await second.kill();

    const [root, ...thread] = slack.posted;
    expect(root!.body).toMatchObject({ channel: CHANNEL, text: expect.stringContaining('AJ — missing from care') });
    expect(root!.body.thread_ts).toBeUndefined();
    expect(thread.map((p) => p.body.thread_ts)).toEqual([root!.body.ts, root!.body.ts]);
    expect(slack.posted).toHaveLength(3);

    const back = await readBack(dir);
    expect(back.entries).toEqual(dead.entries); // nothing recorded was lost or changed
    expect(back.broken).toEqual([]);
    expect(back.outbox.map((o) => [o.status, o.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
  }, 120_000);
});

/** A Slack home with `children` children (aliases K01, K02, …) and Sam on call. */
function homeWithChildren(children: number) {
  const aliases = Array.from({ length: children }, (_, i) => `K${String(i + 1).padStart(2, '0')}`);
  const yaml = slackHome(aliases.map((a) => ({ id: `child-${a.toLowerCase()}`, alias: a })));
  return { yaml, aliases };
}

/**
 * Episodes that are open, reported and back, with their threads long since posted: each then holds
 * six one-off reminders whose reasons stay (police told of the return, RHI, safe and well, …), all
 * due 67 hours after the return.
 */
async function seedReturnedEpisodes(dir: string, yaml: string, aliases: string[]) {
  const database = await openDatabase({ dataDir: dir });
  try {
    await syncHomes(database, parseHomes(yaml, 'homes.yaml', protocols));
    const store = prismaStore(database);
    const engine = createEngine({ store, clock: new FakeClock(T0), protocols, logger: silentLogger });
    const jo = { platform: 'slack', userId: users.jo } as const;
    for (const [i, child] of aliases.entries()) {
      const run = async (command: Record<string, unknown>) => {
        const result = await engine.execute({ actor: jo, ...command });
        if (!result.ok) throw new Error(`${String(command.type)} refused: ${result.error.code}`);
        return result;
      };
      const { episodeId } = await run({
        type: 'open_episode',
        channel: { platform: 'slack', channelRef: CHANNEL },
        child,
      });
      await run({
        type: 'record_police_report',
        episodeId,
        reference: `REF-${i}`,
        officer: 'PC Lane',
        grade: 'medium',
      });
      await run({ type: 'record_return', episodeId, at: T0, how: 'walked in', whereFound: 'home', condition: 'well' });
      // The Regulation 40 decision taken, so its daily reminder is not among them.
      await run({
        type: 'record_notification',
        episodeId,
        party: 'ofsted',
        decision: 'not_required',
        reason: 'Not a serious event',
      });
      await store.transaction((tx) => tx.episodes.update(episodeId!, { threadRef: `${CHANNEL}|1600000000.${i}` }));
    }
    await database.prisma.outboxMessage.updateMany({ data: { status: 'sent', sentAt: T0 } });
    // As delivered: each episode card's ref is its root message (its updates go there).
    await database.prisma.outboxMessage.updateMany({ where: { cardKey: 'root' }, data: { resultRef: '1600000000.0' } });
    const due = await database.prisma.ping.findMany({
      where: { status: 'pending', dueAt: { lte: new Date(later(67 * 60 * MINUTE)) } },
      select: { id: true },
    });
    return new Set(due.map((p) => p.id));
  } finally {
    await database.close();
  }
}

describe('killed in the middle of a batch of reminders', () => {
  it('sends every reminder after a restart, none twice, and posts each message once', async () => {
    slack = await startSlackStandIn();
    const { yaml, aliases } = homeWithChildren(20);
    const dir = dataDir(yaml);
    const due = await seedReturnedEpisodes(dir, yaml, aliases);
    expect(due.size).toBe(120);

    // The bot starts 67 hours on, with all 120 due; it is killed as soon as the first is sent.
    // (A plain read-only connection watches: the bot's database cannot be opened a second time.)
    let watch = new Database(path.join(dir, sqliteFileName), { readonly: true });
    const count = (sql: string) => (watch.prepare(sql).get() as { n: number }).n;
    const sentSoFar = () => count(`SELECT COUNT(*) AS n FROM "Ping" WHERE status = 'sent'`);
    const first = await start(dir, 'bot-a', later(67 * 60 * MINUTE));
    await until(() => sentSoFar() > 0, 60_000, 'the first reminder to be sent');
    await first.kill();
    watch.close();
    const dead = await readBack(dir);
    const sentBeforeKill = dead.pings.filter((p) => p.status === 'sent' && due.has(p.id)).length;
    expect(sentBeforeKill).toBeGreaterThan(0);
    expect(sentBeforeKill).toBeLessThan(120);
    // The rest of its batch is still claimed by the dead process.
    expect(dead.pings.filter((p) => p.status === 'pending' && p.claimedBy === 'bot-a').length).toBeGreaterThan(0);

    const second = await start(dir, 'bot-b', later(67 * 60 * MINUTE + 2 * MINUTE));
    watch = new Database(path.join(dir, sqliteFileName), { readonly: true });
    try {
      await until(
        () =>
          // Everything due by then (the 72-hour RHI breach reminder falls later, and the children's
          // first risk-assessment reviews are asked for in the next working hours).
          count(
            `SELECT COUNT(*) AS n FROM "Ping" WHERE status = 'pending' AND rule NOT IN ('rhi-72h-breach', 'risk-assessment-review')`,
          ) === 0 && count(`SELECT COUNT(*) AS n FROM "OutboxMessage" WHERE status <> 'sent'`) === 0,
        90_000,
        'every reminder to be sent and delivered',
      );
    } finally {
      watch.close();
    }
    await second.kill();

    const back = await readBack(dir);
    // Every due reminder was sent; no other changed (those cancelled at the return stay cancelled).
    expect(
      back.pings
        .filter((p) => p.status === 'sent')
        .map((p) => p.id)
        .sort(),
    ).toEqual([...due].sort());
    expect(back.pings.filter((p) => !due.has(p.id))).toEqual(dead.pings.filter((p) => !due.has(p.id)));
    const pingEntries = back.entries.filter((e) => e.kind === 'ping').map((e) => JSON.parse(e.dataJson).pingId);
    expect(pingEntries).toHaveLength(120);
    expect(new Set(pingEntries).size).toBe(120);
    // The entries the dead process wrote are all still there, unchanged.
    expect(back.entries.filter((e) => dead.entries.some((d) => d.id === e.id))).toEqual(dead.entries);
    expect(back.broken).toEqual([]);
    // Each reminder's thread card (and direct messages, for those with an audience) went to Slack
    // once; the episode cards they brought up to date were updated in place, not posted.
    const written = back.outbox.filter((o) => o.createdAt > T0);
    const reminders = written.filter((o) => o.cardKey !== 'root');
    expect(reminders.length).toBeGreaterThanOrEqual(120);
    expect(slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(written.length - reminders.length);
    expect(slack.posted).toHaveLength(reminders.length);
    const bodies = slack.posted.map((p) => JSON.stringify([p.body.channel, p.body.thread_ts, p.body.text]));
    expect(new Set(bodies).size).toBe(reminders.length);
  }, 180_000);
});

describe('killed right after Slack was answered', () => {
  it('applies every command it acknowledged after a restart, each once', async () => {
    slack = await startSlackStandIn();
    const { yaml, aliases } = homeWithChildren(20);
    const dir = dataDir(yaml);
    const first = await start(dir, 'bot-a', T0.toISOString());
    // Twenty children reported at once: each is answered as soon as it is in the inbox, while the
    // record catches up behind; the process dies the moment the last answer is in.
    const answers = await Promise.all(
      aliases.map((alias) =>
        postForm(`${first.url}/slack/events`, slashCommand(users.jo, alias, `${slack!.url}/commands/${alias}`)),
      ),
    );
    await first.kill();
    expect(answers.map((a) => a.status)).toEqual(aliases.map(() => 200));
    const dead = await readBack(dir);
    const openedBefore = dead.entries.filter((e) => e.kind === 'episode_opened').length;
    // The kill caught reports acknowledged but not yet in the record: they were in the inbox.
    expect(openedBefore).toBeLessThan(20);
    const kept = fs
      .readFileSync(path.join(dir, 'held-commands.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"op":"hold"'));
    expect(kept.length).toBeGreaterThanOrEqual(20 - openedBefore);

    // Back two minutes later on the same data folder: the inbox is applied, at the times they came.
    const second = await start(dir, 'bot-b', later(2 * MINUTE));
    const watch = new Database(path.join(dir, sqliteFileName), { readonly: true });
    try {
      const opened = () =>
        (watch.prepare(`SELECT COUNT(*) AS n FROM "LogEntry" WHERE kind = 'episode_opened'`).get() as { n: number }).n;
      await until(() => opened() >= 20, 60_000, 'every acknowledged report to be in the record');
      // A few more ticks: nothing is applied twice.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(opened()).toBe(20);
    } finally {
      watch.close();
    }
    await second.kill();

    const back = await readBack(dir);
    const opened = back.entries.filter((e) => e.kind === 'episode_opened');
    expect(opened.map((e) => e.text.match(/for (K\d+)/)![1]).sort()).toEqual(aliases);
    // Each at the time it came (before the kill), not at the restart; the chains are whole.
    expect(opened.every((e) => e.at < new Date(later(MINUTE)))).toBe(true);
    expect(back.broken).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'held-commands.jsonl'), 'utf8')).toBe('');
  }, 120_000);
});
