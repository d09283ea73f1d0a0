import { randomUUID } from 'node:crypto';
import { noticeCard } from '../messages/cards.ts';
import { heldRefusedText } from '../messages/held-texts.ts';
import { describeError, type EngineError } from '../messages/texts.ts';
import type { Clock } from '../ports/clock.ts';
import { StoreUnavailable, type HeldCommand, type HeldCommands } from '../ports/held-commands.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import { commandSchema, type Command } from './commands/commands.ts';
import { fail, Refusal, type Result } from './base/context.ts';

/** After a failed attempt, held commands wait this long before the database is tried again. */
const PAUSE_AFTER_FAILURE_MS = 2_000;
/** A held command that fails this often for another reason than the database is given up (and logged). */
const MAX_FAILURES = 3;
/** A kept command not applied by its own request within this long is applied from the inbox. */
const IN_FLIGHT_MS = 60_000;

/** What one pass over the held commands did. */
export interface HeldRun {
  applied: number;
  refused: number;
  givenUp: number;
  /** Still held (the database is not back yet). */
  waiting: number;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The inbox. Every command that adds to the record is kept (see HeldCommands: an fsynced append)
 * before the platform is answered, then applied from here, each at the time it came; a crash at
 * any point after the answer loses nothing, and because a kept command carries an event id,
 * applying it again after a crash records it once. While the database is unavailable commands
 * stay kept and the person is told "recording delayed"; once it answers they are applied in the
 * order they came. One that the engine refuses by then (the episode closed meanwhile, say) is
 * dropped, and the person is told why in a direct message.
 */
export function heldCommandQueue(deps: {
  held: HeldCommands;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Runs a validated command in one transaction, with the clock standing at `at`. */
  run: (cmd: Command, at: Date) => Promise<Result>;
}) {
  const { held, store, clock, logger } = deps;
  let running: Promise<HeldRun> | null = null;
  let lastFailureAt: number | null = null;
  const failures = new Map<string, number>();
  /**
   * Kept commands that the request which brought them is about to apply, or applying now, with
   * since when. One in flight longer than a request can take (its request failed between keeping
   * and applying it) counts as waiting again: its event id makes a second application a no-op.
   */
  const inFlight = new Map<string, number>();
  const waiting = () =>
    held.list().filter((h) => {
      const since = inFlight.get(h.id);
      return since === undefined || clock.now().getTime() - since > IN_FLIGHT_MS;
    });

  /**
   * Writes a command to the inbox; null if even that failed (the disk), logged. The command kept,
   * and the one to apply, carry the same event id, so a replay after a crash records nothing twice.
   */
  async function keep(cmd: Command): Promise<{ entry: HeldCommand; cmd: Command } | null> {
    const id = randomUUID();
    const withId = { ...cmd, eventId: cmd.eventId ?? `held:${id}` } as Command;
    const entry = {
      id,
      receivedAt: clock.now(),
      command: JSON.parse(JSON.stringify(withId)) as Record<string, unknown>,
    };
    // In flight from before it is on disk: a pass over the inbox must not take it meanwhile.
    inFlight.set(id, clock.now().getTime());
    try {
      await held.hold(entry);
      return { entry, cmd: withId };
    } catch (error) {
      inFlight.delete(id);
      logger.error({ command: cmd.type, err: errorText(error) }, 'the inbox could not be written');
      return null;
    }
  }

  function delayed(cmd: Command, reason: string): Result {
    lastFailureAt ??= clock.now().getTime();
    logger.warn(
      { command: cmd.type, held: held.list().length, err: reason },
      'database unavailable: command kept, recording delayed',
    );
    return fail('recording_delayed');
  }

  /** Tells the person who sent a held command that it could not be recorded after all, and why. */
  async function tellRefused(cmd: Command, receivedAt: Date, error: EngineError) {
    try {
      await store.transaction(async (tx) => {
        const staff = await tx.staff.findByIdentity(cmd.actor.platform, cmd.actor.userId);
        const home = staff ? await tx.homes.get(staff.homeId) : null;
        if (!staff || !home) return;
        const text = heldRefusedText(receivedAt, home.timeZone, describeError(error));
        await tx.outbox.enqueue({
          homeId: home.id,
          episodeId: null,
          platform: cmd.actor.platform,
          message: {
            target: { kind: 'direct', staffId: staff.id, platformUserId: cmd.actor.userId },
            card: noticeCard(text, 'warning'),
          },
          at: clock.now(),
        });
      });
    } catch (error) {
      logger.error(
        { command: cmd.type, err: errorText(error) },
        'could not tell the sender a held command was refused',
      );
    }
  }

  async function applyOne(entry: HeldCommand, run: HeldRun): Promise<'next' | 'stop'> {
    const parsed = commandSchema.safeParse(entry.command);
    if (!parsed.success) {
      logger.error({ heldId: entry.id }, 'a held command no longer reads as a command: given up');
      await held.release(entry.id);
      run.givenUp += 1;
      return 'next';
    }
    const cmd = parsed.data;
    let result: Result;
    try {
      result = await deps.run(cmd, entry.receivedAt);
    } catch (error) {
      if (error instanceof Refusal) result = { ok: false, error: error.error };
      else if (error instanceof StoreUnavailable) return 'stop';
      else {
        const count = (failures.get(entry.id) ?? 0) + 1;
        failures.set(entry.id, count);
        logger.error(
          { heldId: entry.id, command: cmd.type, attempts: count, err: errorText(error) },
          count >= MAX_FAILURES ? 'a held command keeps failing: given up' : 'a held command failed; will retry',
        );
        if (count < MAX_FAILURES) return 'stop';
        failures.delete(entry.id);
        await held.release(entry.id);
        await tellRefused(cmd, entry.receivedAt, {
          code: 'internal_error',
          detail: { correlationId: entry.id.slice(0, 8) },
        });
        run.givenUp += 1;
        return 'next';
      }
    }
    await held.release(entry.id);
    failures.delete(entry.id);
    if (result.ok) {
      run.applied += 1;
    } else {
      run.refused += 1;
      logger.warn({ heldId: entry.id, command: cmd.type, code: result.error.code }, 'a held command was refused');
      await tellRefused(cmd, entry.receivedAt, result.error);
    }
    return 'next';
  }

  async function applyAll(): Promise<HeldRun> {
    const run: HeldRun = { applied: 0, refused: 0, givenUp: 0, waiting: 0 };
    for (const entry of waiting()) {
      if ((await applyOne(entry, run)) === 'stop') {
        lastFailureAt = clock.now().getTime();
        run.waiting = waiting().length;
        return run;
      }
    }
    lastFailureAt = null;
    if (run.applied + run.refused + run.givenUp > 0) logger.info({ ...run }, 'held commands applied');
    return run;
  }

  /**
   * Applies the commands still waiting in the inbox, oldest first, stopping at the first that
   * still cannot be written. One pass at a time; after a failure the database is left alone for
   * a moment. Commands being applied by their own request are left to it.
   */
  function retry(): Promise<HeldRun> {
    if (running) return running;
    const count = waiting().length;
    const resting = lastFailureAt !== null && clock.now().getTime() - lastFailureAt < PAUSE_AFTER_FAILURE_MS;
    if (count === 0 || resting) return Promise.resolve({ applied: 0, refused: 0, givenUp: 0, waiting: count });
    running = applyAll().finally(() => (running = null));
    return running;
  }

  /**
   * Applies a command just kept, for the request that brought it: after any still waiting from
   * before (so the record keeps their order), or left kept, "recording delayed", while the
   * database is away.
   */
  async function apply(entry: HeldCommand, cmd: Command): Promise<Result> {
    try {
      if (waiting().length > 0 && (await retry()).waiting > 0) return delayed(cmd, 'earlier commands are still held');
      const result = await deps.run(cmd, entry.receivedAt);
      await held.release(entry.id);
      return result;
    } catch (error) {
      if (error instanceof StoreUnavailable) return delayed(cmd, error.message);
      // Refused, or failed for another reason: nothing to apply again later.
      await held.release(entry.id);
      throw error;
    } finally {
      inFlight.delete(entry.id);
    }
  }

  return {
    keep,
    apply,
    retry,
  };
}
