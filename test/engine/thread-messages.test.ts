import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import { jo, openWithThread, recordOf, sam, startTestBot, type TestBot } from '../support/bot.ts';

let bot: TestBot;
let episodeId: string;
let threadRef: string;
beforeEach(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
  ({ episodeId, threadRef } = await openWithThread(bot, 'AJ'));
});
afterEach(() => bot.close());

type Actor = { platform: 'web'; userId: string; displayName?: string };

/** What the adapter sends for a message posted, edited or deleted in the episode's thread. */
function say(actor: Actor, messageId: string, text: string, extra: Record<string, unknown> = {}) {
  return bot.engine.execute({
    type: 'record_message',
    actor,
    thread: { platform: 'web', threadRef },
    messageId,
    text,
    ...extra,
  });
}

async function entry(kind: string, messageId?: string) {
  const found = (await recordOf(bot, episodeId)).filter(
    (e) => e.kind === kind && (!messageId || e.platformMessageId === messageId),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

const socialWorker = { platform: 'web', userId: 'U-EXT-77', displayName: 'Morgan (placing LA social worker)' } as const;

describe('messages in an episode thread', () => {
  it('records each message under the author’s staff name and role', async () => {
    bot.clock.set('2026-11-20T22:12:00Z');
    // The platform's display name is not what the record uses for staff: the staff list is.
    // Only recorded: nothing is queued, so no delivery need run for it.
    expect(await say({ ...jo, displayName: 'jo.r' }, 'msg-1', 'Checked the garden, nothing')).toEqual({
      ok: true,
      episodeId,
      queuedNothing: true,
    });
    expect(await say(sam, 'msg-2', 'On my way in')).toMatchObject({ ok: true });
    const messages = (await recordOf(bot, episodeId)).filter((e) => e.kind === 'message');
    expect(messages.map((m) => [m.authorName, m.authorRole, m.text, m.platformMessageId])).toEqual([
      ['Jo Reid', 'support_worker', 'Checked the garden, nothing', 'msg-1'],
      ['Sam Okafor', 'manager', 'On my way in', 'msg-2'],
    ]);
    expect(messages[0]?.at).toEqual(new Date('2026-11-20T22:12:00Z'));
    expect(messages[0]?.authorStaffId).toBe('jo');
  });

  it('records someone the home does not know by their platform name, as role unknown', async () => {
    await say(socialWorker, 'msg-ext', 'I have let EDT know');
    expect(await entry('message', 'msg-ext')).toMatchObject({
      authorName: 'Morgan (placing LA social worker)',
      authorRole: 'unknown',
      authorStaffId: null,
      text: 'I have let EDT know',
    });
    // Without a display name they are still recorded, by their platform id.
    await say({ platform: 'web', userId: 'U-EXT-88' }, 'msg-anon', 'Any news?');
    expect((await entry('message', 'msg-anon')).authorName).toBe('Playground user U-EXT-88');
  });

  it('records an edit as a new entry pointing at the original, which stays as written', async () => {
    await say(jo, 'msg-1', 'Last seen at the bus stop');
    const original = await entry('message', 'msg-1');
    bot.clock.set('2026-11-20T22:20:00Z');
    await say(jo, 'msg-1', 'Last seen at the train station', { change: 'edited' });

    const edit = await entry('message_edited');
    expect(edit).toMatchObject({
      amendsEntryId: original.id,
      authorName: 'Jo Reid',
      platformMessageId: 'msg-1',
      at: new Date('2026-11-20T22:20:00Z'),
    });
    expect(edit.text).toContain('Last seen at the train station');
    expect(JSON.parse(edit.dataJson)).toMatchObject({ originalSeq: original.seq });
    expect(await entry('message', 'msg-1')).toEqual(original);
  });

  it('records a deletion as a new entry and keeps what the message said', async () => {
    await say(socialWorker, 'msg-9', 'Her phone was on at 22:30 near the park');
    const original = await entry('message', 'msg-9');
    await say(socialWorker, 'msg-9', '', { change: 'deleted' });

    const deletion = await entry('message_deleted');
    expect(deletion).toMatchObject({ amendsEntryId: original.id, authorRole: 'unknown' });
    expect(deletion.text).toContain(`entry ${original.seq} keeps what it said`);
    expect(await entry('message', 'msg-9')).toEqual(original);
  });

  it('notes attached files by name', async () => {
    await say(jo, 'msg-photo', 'Her room as we found it', { files: ['room.jpg', ' note.pdf '] });
    const withFiles = await entry('message', 'msg-photo');
    expect(withFiles.text).toBe('Her room as we found it [files: room.jpg, note.pdf]');
    expect(JSON.parse(withFiles.dataJson)).toEqual({ files: ['room.jpg', 'note.pdf'] });
    // A file on its own, with no words, is still worth recording.
    expect(await say(jo, 'msg-file-only', '', { files: ['cctv.mp4'] })).toMatchObject({ ok: true });
    expect((await entry('message', 'msg-file-only')).text).toContain('cctv.mp4');
  });

  it('does not record a message in a thread that is not an episode', async () => {
    const before = await bot.database.prisma.logEntry.count();
    const result = await bot.engine.execute({
      type: 'record_message',
      actor: jo,
      thread: { platform: 'web', threadRef: 'oak-house/some-other-thread' },
      messageId: 'msg-x',
      text: 'Tea is ready',
    });
    expect(result).toEqual({ ok: false, error: { code: 'unknown_episode' } });
    expect(await bot.database.prisma.logEntry.count()).toBe(before);
  });
});

describe('the record’s hash chain', () => {
  it('verifies after messages, edits and deletions, and finds the entry someone changed', async () => {
    await say(jo, 'msg-1', 'Checked the garden');
    await say(socialWorker, 'msg-2', 'Police have been told');
    await say(jo, 'msg-1', 'Checked the garden and the shed', { change: 'edited' });
    await say(socialWorker, 'msg-2', '', { change: 'deleted' });
    await say(sam, 'msg-3', 'CCTV from the shop', { files: ['cctv.mp4'] });
    const entries = await recordOf(bot, episodeId);
    expect(verifyChain(entries)).toEqual({ ok: true, entries: entries.length });

    // Someone edits the database directly to soften what was said.
    const target = await entry('message', 'msg-2');
    await bot.database.prisma.logEntry.update({
      where: { id: target.id },
      data: { text: 'Police will be told later' },
    });
    expect(verifyChain(await recordOf(bot, episodeId))).toEqual({
      ok: false,
      seq: target.seq,
      problem: 'its content does not match its hash',
    });
  });

  it('loses none of many messages posted at once, and keeps one unbroken chain', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `burst-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(ids.map((id, i) => say(i % 2 ? jo : socialWorker, id, `Update ${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    const entries = await recordOf(bot, episodeId);
    const recorded = entries.filter((e) => e.kind === 'message').map((e) => e.platformMessageId);
    expect(recorded.sort()).toEqual(ids);
    expect(verifyChain(entries)).toEqual({ ok: true, entries: entries.length });
  });

  it('finds an entry that was removed from the middle of the chain', async () => {
    await say(jo, 'msg-1', 'First');
    await say(jo, 'msg-2', 'Second');
    await say(jo, 'msg-3', 'Third');
    const removed = await entry('message', 'msg-2');
    await bot.database.prisma.logEntry.delete({ where: { id: removed.id } });
    expect(verifyChain(await recordOf(bot, episodeId))).toMatchObject({ ok: false, seq: removed.seq + 1 });
  });
});
