import { randomUUID } from 'node:crypto';
import { memoryHeldCommands, StoreUnavailable, type HeldCommands } from '../ports/held-commands.ts';
import type { Logger } from '../ports/logger.ts';
import { describeProblems } from '../messages/problems.ts';
import type { Tx } from '../ports/store.ts';
import { commandSchema, type Command } from './commands/commands.ts';
import { classify } from './episode/classify.ts';
import { fail, Refusal, type EngineDeps, type Result } from './base/context.ts';
import { decideApproval } from './approvals/decide-approval.ts';
import { exportCommandTypes, type ExportCommand } from './exports/rules.ts';
import type { Drawer } from './exports/draw.ts';
import { runExport } from './exports/run-export.ts';
import { acceptHandover, sendShiftHandover } from './handover/handover.ts';
import { heldCommandQueue, type HeldRun } from './held-commands.ts';
import { openEpisode } from './episode/open-episode.ts';
import { rateAtNightfall } from './schedule/nightfall.ts';
import { scheduleRiskReviews } from './schedule/risk-review.ts';
import { recordContactAttempt, recordSearch } from './record/record-contact-attempt.ts';
import { recordFollowUp } from './follow-ups/record-follow-up.ts';
import { tickItem } from './follow-ups/tick-item.ts';
import { recordLastSeen } from './episode/record-last-seen.ts';
import { nameAuthor } from './record/name-author.ts';
import { recordMessage } from './record/record-message.ts';
import { recordNotification } from './episode/record-notification.ts';
import { recordPoliceReport } from './episode/record-police-report.ts';
import { recordReturn } from './episode/record-return.ts';
import { recordRhi } from './follow-ups/record-rhi.ts';
import { requestClosure, requestSignoff } from './approvals/request-closure.ts';
import { sendDuePings, type PingRun } from './schedule/send-due-pings.ts';
import { setRisk } from './episode/set-risk.ts';
import { updateItem } from './record/update-item.ts';

function route(tx: Tx, deps: EngineDeps, cmd: Command): Promise<Result> {
  switch (cmd.type) {
    case 'open_episode':
      return openEpisode(tx, deps, cmd);
    case 'record_last_seen':
      return recordLastSeen(tx, deps, cmd);
    case 'classify':
      return classify(tx, deps, cmd);
    case 'tick_item':
      return tickItem(tx, deps, cmd);
    case 'mark_not_applicable':
      return updateItem(tx, deps, cmd);
    case 'record_police_report':
      return recordPoliceReport(tx, deps, cmd);
    case 'record_notification':
      return recordNotification(tx, deps, cmd);
    case 'record_contact_attempt':
      return recordContactAttempt(tx, deps, cmd);
    case 'record_search':
      return recordSearch(tx, deps, cmd);
    case 'set_risk':
      return setRisk(tx, deps, cmd);
    case 'record_return':
      return recordReturn(tx, deps, cmd);
    case 'record_follow_up':
      return recordFollowUp(tx, deps, cmd);
    case 'record_rhi':
      return recordRhi(tx, deps, cmd);
    case 'request_signoff':
      return requestSignoff(tx, deps, cmd);
    case 'request_closure':
      return requestClosure(tx, deps, cmd);
    case 'decide_approval':
      return decideApproval(tx, deps, cmd);
    case 'name_author':
      return nameAuthor(tx, deps, cmd);
    case 'accept_handover':
      return acceptHandover(tx, deps, cmd);
    case 'record_message':
    case 'export_record':
    case 'police_pack':
    case 'patterns':
    case 'returns_csv':
      // Never inside a transaction of the engine's: a thread message is written by the store in
      // one go (record-message.ts), exports run between two transactions (run-export.ts).
      throw new Error(`${cmd.type} does not run in a transaction of the engine's`);
  }
}

/**
 * The conversation engine: platform-neutral commands in, results and queued messages out. What
 * people look at goes through `Queries` (queries.ts); adapters are given `execute` and those.
 */
export interface Engine {
  /**
   * Validates and runs one command in one transaction. Never throws for bad input. When the
   * database is unavailable the command is held and applied later (`recording_delayed`).
   */
  execute(input: unknown): Promise<Result>;
  /**
   * The first half of `execute`, for adapters that must answer the platform quickly: validates
   * the command and keeps it durably in the inbox. Answer the platform after this resolves, then
   * call `apply` for the result; a crash in between loses nothing (the inbox is applied at start).
   */
  receive(input: unknown): Promise<Receipt>;
  /** Applies commands held while the database was unavailable (called by the scheduler's tick). */
  retryHeld(): Promise<HeldRun>;
  /** Sends the pings due now (called by the scheduler's tick). */
  sendDuePings(instanceId: string): Promise<PingRun>;
  /** Sends the handover of any home whose shift has just changed (called by the scheduler's tick). */
  runShiftHandovers(): Promise<number>;
  /** Keeps a reminder scheduled for each child's next risk-assessment review (scheduler's tick). */
  scheduleRiskReviews(): Promise<void>;
  /** Adds night-time to the risk of episodes already open when a home's night begins (scheduler's tick). */
  rateAtNightfall(): Promise<number>;
}

/** A command received: kept in the inbox if it adds to the record; `apply` runs it. */
export interface Receipt {
  apply(): Promise<Result>;
}

/** What an adapter may do: run commands. What it may look at comes through `Queries`. */
export type Commands = Pick<Engine, 'execute' | 'receive'>;

export function createEngine(
  deps: EngineDeps & {
    logger: Logger;
    held?: HeldCommands;
    /** Draws exports' files off the main thread (a worker); in the engine's own thread when not given. */
    drawer?: Drawer;
  },
): Engine {
  const { store, logger } = deps;
  /** One command in one transaction; `at` stands the clock still there (a held command, applied late). */
  const run = (cmd: Command, at?: Date): Promise<Result> => {
    const d = at ? { ...deps, clock: { now: () => new Date(at) } } : deps;
    const eventKey = cmd.eventId ? `${cmd.actor.platform}:${cmd.eventId}` : null;
    if (cmd.type === 'record_message') return recordMessage(d, cmd, eventKey);
    return store.transaction(async (tx) => {
      if (eventKey && !(await tx.events.markProcessed(eventKey, d.clock.now())))
        return { ok: true, duplicate: true } as const;
      return route(tx, d, cmd);
    });
  };
  const inbox = heldCommandQueue({ held: deps.held ?? memoryHeldCommands(), store, clock: deps.clock, logger, run });
  /** Runs a command, answering every failure in words. */
  const settle = async (cmd: Command, attempt: () => Promise<Result>): Promise<Result> => {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof Refusal) return { ok: false, error: error.error };
      if (error instanceof StoreUnavailable) return fail('store_unavailable');
      const correlationId = randomUUID().slice(0, 8);
      logger.error(
        { correlationId, command: cmd.type, err: error instanceof Error ? error.message : String(error) },
        'command failed',
      );
      return fail('internal_error', { correlationId });
    }
  };
  const receive = async (input: unknown): Promise<Receipt> => {
    const parsed = commandSchema.safeParse(input);
    if (!parsed.success) {
      const refused = fail('invalid_input', { problems: describeProblems(parsed.error.issues) });
      return { apply: async () => refused };
    }
    const cmd = parsed.data;
    // Exports draw their files between two short transactions, never holding one open; they add
    // nothing to the record worth keeping, so they are not kept.
    if (exportCommandTypes.has(cmd.type))
      return { apply: () => settle(cmd, () => runExport(deps, cmd as ExportCommand)) };
    const kept = await inbox.keep(cmd);
    if (!kept) return { apply: () => settle(cmd, () => run(cmd)) };
    return { apply: () => settle(kept.cmd, () => inbox.apply(kept.entry, kept.cmd)) };
  };
  return {
    receive,
    async execute(input) {
      return (await receive(input)).apply();
    },
    retryHeld: () => inbox.retry(),
    sendDuePings: (instanceId) => sendDuePings(deps, instanceId),
    async runShiftHandovers() {
      const now = deps.clock.now();
      let sent = 0;
      for (const home of await store.transaction((tx) => tx.homes.list())) {
        if (await store.transaction((tx) => sendShiftHandover(tx, deps, home, now))) sent += 1;
      }
      return sent;
    },
    async rateAtNightfall() {
      const now = deps.clock.now();
      let rated = 0;
      for (const home of await store.transaction((tx) => tx.homes.list())) {
        // One home's failure must not hold up the others, nor the rest of the tick.
        try {
          rated += await store.transaction((tx) => rateAtNightfall(tx, deps, home, now));
        } catch (error) {
          logger.error(
            { homeId: home.id, err: error instanceof Error ? error.message : String(error) },
            'night-time re-rating failed for a home; will try again next tick',
          );
        }
      }
      return rated;
    },
    async scheduleRiskReviews() {
      const now = deps.clock.now();
      for (const home of await store.transaction((tx) => tx.homes.list())) {
        await store.transaction((tx) => scheduleRiskReviews(tx, home, now));
      }
    },
  };
}
