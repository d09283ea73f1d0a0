import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.ts';
import { memoryHeldCommands, type HeldCommands } from '../../src/ports/held-commands.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { jo, must, openEpisode, recordOf, startTestBot, type TestBot } from '../support/bot.ts';

// The inbox: a command kept before it is applied, applied again after a crash that came between
// its commit and its release, is recorded once.

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
});
afterEach(() => bot.close());

/** The inbox of a process that dies right after each commit: nothing is ever released. */
function neverReleased(): HeldCommands {
  const inner = memoryHeldCommands();
  return { hold: (c) => inner.hold(c), list: () => inner.list(), release: async () => undefined };
}

describe('the inbox', () => {
  it('records a command once when it is applied again after a crash between commit and release', async () => {
    const episodeId = await openEpisode(bot, 'AJ', jo);
    const held = neverReleased();
    const engine = () => createEngine({ store: bot.store, clock: bot.clock, protocols, logger: silentLogger, held });
    await must(engine(), {
      type: 'record_contact_attempt',
      actor: jo,
      episodeId,
      method: 'Phone',
      outcome: 'No answer',
    });
    expect(held.list()).toHaveLength(1); // still in the inbox, as after a crash
    const before = (await recordOf(bot, episodeId)).length;

    // The next start applies what the inbox holds: the event id it was kept with makes it a no-op.
    const run = await engine().retryHeld();
    expect(run).toMatchObject({ waiting: 0 });
    expect((await recordOf(bot, episodeId)).length).toBe(before);
    const attempts = (await recordOf(bot, episodeId)).filter((e) => e.kind === 'contact_attempt');
    expect(attempts).toHaveLength(1);
  });

  it('applies a kept command whose request failed before applying it, from the inbox, once', async () => {
    const episodeId = await openEpisode(bot, 'AJ', jo);
    const held = memoryHeldCommands();
    const engine = createEngine({
      store: bot.store,
      clock: bot.clock,
      protocols,
      logger: silentLogger,
      held,
    });
    // Kept, then the request dies before `apply` (a throw between Slack's answer and the work).
    await engine.receive({ type: 'record_contact_attempt', actor: jo, episodeId, method: 'Text', outcome: 'Read' });
    expect(held.list()).toHaveLength(1);
    await engine.retryHeld();
    expect(held.list()).toHaveLength(1); // its own request may still come: left alone for a while
    bot.clock.advanceMinutes(2);
    await engine.retryHeld();
    expect(held.list()).toHaveLength(0);
    const attempts = (await recordOf(bot, episodeId)).filter((e) => e.kind === 'contact_attempt');
    expect(attempts).toHaveLength(1);
  });
});
