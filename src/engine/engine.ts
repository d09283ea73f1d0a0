import { randomUUID } from 'node:crypto';
import { statusLine } from '../messages/cards.ts';
import type { Card } from '../messages/outbound.ts';
import { memoryHeldCommands, StoreUnavailable, type HeldCommands } from '../ports/held-commands.ts';
import type { Logger } from '../ports/logger.ts';
import type { Tx } from '../ports/store.ts';
import { commandSchema, type Command } from './commands/commands.ts';
import { classify } from './episode/classify.ts';
import { fail, Refusal, type EngineDeps, type Result } from './base/context.ts';
import { decideApproval } from './approvals/decide-approval.ts';
import { takeDownload, type Download } from './exports/downloads.ts';
import { exportCommandTypes, runExport, type ExportCommand } from './exports/run-export.ts';
import { acceptHandover, handoverNow, sendShiftHandover } from './handover/handover.ts';
import { heldCommandQueue, isHeldWhenUnavailable, type HeldRun } from './held-commands.ts';
import { openEpisode } from './episode/open-episode.ts';
import { scheduleRiskReviews } from './schedule/risk-review.ts';
import { episodeStatus, homeView, homeViewForUser, type HomeView } from './home/home-view.ts';
import { recordContactAttempt, recordSearch } from './record/record-contact-attempt.ts';
import { recordFollowUp } from './follow-ups/record-follow-up.ts';
import { recordLastSeen } from './episode/record-last-seen.ts';
import { recordMessage } from './record/record-message.ts';
import { recordNotification } from './record/record-notification.ts';
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
    case 'record_message':
      return recordMessage(tx, deps, cmd);
    case 'accept_handover':
      return acceptHandover(tx, deps, cmd);
    case 'export_record':
    case 'police_pack':
    case 'patterns':
    case 'returns_csv':
      // Never inside one transaction: execute runs exports itself (run-export.ts).
      throw new Error(`${cmd.type} runs between transactions, not in one`);
  }
}

/** The conversation engine: platform-neutral commands in, results and queued messages out. */
export interface Engine {
  /**
   * Validates and runs one command in one transaction. Never throws for bad input. When the
   * database is unavailable the command is held and applied later (`recording_delayed`).
   */
  execute(input: unknown): Promise<Result>;
  /** Applies commands held while the database was unavailable (called by the scheduler's tick). */
  retryHeld(): Promise<HeldRun>;
  /** Sends the pings due now (called by the scheduler's tick). */
  sendDuePings(instanceId: string): Promise<PingRun>;
  /** A one-line status of each open or returned episode in the home behind a channel. */
  listEpisodes(platform: Command['actor']['platform'], channelRef: string): Promise<Card | null>;
  /** Sends the handover of any home whose shift has just changed (called by the scheduler's tick). */
  runShiftHandovers(): Promise<number>;
  /** Keeps a reminder scheduled for each child's next risk-assessment review (scheduler's tick). */
  scheduleRiskReviews(): Promise<void>;
  /** `handover`: the summary of every open episode of the home behind a channel, or of a person's home. */
  handoverSummary(
    platform: Command['actor']['platform'],
    where: { channelRef: string } | { userId: string },
  ): Promise<Card | null>;
  /** `status <child>` for the home behind a channel. */
  episodeStatus(platform: Command['actor']['platform'], channelRef: string, alias: string): Promise<Result>;
  /** The channels homes have on a platform, with the homes' names. */
  channels(platform: Command['actor']['platform']): Promise<{ channelRef: string; homeName: string }[]>;
  /** The home a member of staff works in, as they see it on their platform (null if unknown). */
  homeViewForUser(platform: Command['actor']['platform'], userId: string): Promise<HomeView | null>;
  /** The home behind a channel: its people on that platform and its episodes. */
  homeView(platform: Command['actor']['platform'], channelRef: string): Promise<HomeView | null>;
  /** A file behind a one-time download link, once; null when the link is unknown, used or expired. */
  takeDownload(token: string): Promise<Download | null>;
}

export function createEngine(deps: EngineDeps & { logger: Logger; held?: HeldCommands }): Engine {
  const { store, logger } = deps;
  /** One command in one transaction; `at` stands the clock still there (a held command, applied late). */
  const run = (cmd: Command, at?: Date): Promise<Result> => {
    const d = at ? { ...deps, clock: { now: () => new Date(at) } } : deps;
    return store.transaction(async (tx) => {
      if (cmd.eventId && !(await tx.events.markProcessed(`${cmd.actor.platform}:${cmd.eventId}`, d.clock.now())))
        return { ok: true, duplicate: true } as const;
      return route(tx, d, cmd);
    });
  };
  const delayed = heldCommandQueue({ held: deps.held ?? memoryHeldCommands(), store, clock: deps.clock, logger, run });
  return {
    async execute(input) {
      const parsed = commandSchema.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
        return fail('invalid_input', { problems });
      }
      const cmd = parsed.data;
      try {
        // Exports draw their files between two short transactions, never holding one open.
        if (exportCommandTypes.has(cmd.type)) return await runExport(deps, cmd as ExportCommand);
        // Commands held while the database was away go first, so the record keeps their order.
        if (isHeldWhenUnavailable(cmd) && delayed.count() > 0 && (await delayed.retry()).waiting > 0)
          return await delayed.hold(cmd, 'earlier commands are still held');
        return await run(cmd);
      } catch (error) {
        if (error instanceof Refusal) return { ok: false, error: error.error };
        if (error instanceof StoreUnavailable)
          return isHeldWhenUnavailable(cmd) ? delayed.hold(cmd, error.message) : fail('store_unavailable');
        const correlationId = randomUUID().slice(0, 8);
        logger.error(
          { correlationId, command: cmd.type, err: error instanceof Error ? error.message : String(error) },
          'command failed',
        );
        return fail('internal_error', { correlationId });
      }
    },
    retryHeld: () => delayed.retry(),
    sendDuePings: (instanceId) => sendDuePings(deps, instanceId),
    async runShiftHandovers() {
      const now = deps.clock.now();
      let sent = 0;
      for (const home of await store.transaction((tx) => tx.homes.list())) {
        if (await store.transaction((tx) => sendShiftHandover(tx, deps, home, now))) sent += 1;
      }
      return sent;
    },
    async scheduleRiskReviews() {
      const now = deps.clock.now();
      for (const home of await store.transaction((tx) => tx.homes.list())) {
        await store.transaction((tx) => scheduleRiskReviews(tx, home, now));
      }
    },
    handoverSummary: (platform, where) =>
      store.transaction(async (tx) => {
        const home =
          'channelRef' in where
            ? await tx.homes.findByChannel(platform, where.channelRef)
            : await tx.staff.findByIdentity(platform, where.userId).then((s) => (s ? tx.homes.get(s.homeId) : null));
        return home ? handoverNow(tx, deps, home) : null;
      }),
    episodeStatus: (platform, channelRef, alias) =>
      store.transaction((tx) => episodeStatus(tx, deps, platform, channelRef, alias)),
    channels: (platform) =>
      store.transaction(async (tx) =>
        (await tx.homes.list()).flatMap((h) =>
          h.channels
            .filter((c) => c.platform === platform)
            .map((c) => ({ channelRef: c.channelRef, homeName: h.name })),
        ),
      ),
    homeViewForUser: (platform, userId) => store.transaction((tx) => homeViewForUser(tx, deps, platform, userId)),
    homeView: (platform, channelRef) => store.transaction((tx) => homeView(tx, deps, platform, channelRef)),
    takeDownload: (token) => store.transaction((tx) => takeDownload(tx, deps, token)),
    async listEpisodes(platform, channelRef) {
      const now = deps.clock.now();
      return store.transaction(async (tx) => {
        const home = await tx.homes.findByChannel(platform, channelRef);
        if (!home) return null;
        const episodes = await tx.episodes.listActive(home.id);
        const text =
          episodes.length === 0 ? 'No open episodes.' : episodes.map((e) => `• ${statusLine(e, now)}`).join('\n');
        return {
          title: `${home.name}: ${episodes.length} open episode${episodes.length === 1 ? '' : 's'}`,
          tone: 'info',
          blocks: [{ type: 'text', text }],
          fallback: text,
        };
      });
    },
  };
}
