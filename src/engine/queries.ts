import type { Platform } from '../domain/episode.ts';
import type { Card } from '../messages/outbound.ts';
import { homeProtocol, type EngineDeps, type Result } from './base/context.ts';
import type { Protocol } from '../protocol/schema.ts';
import { approvalView } from './approvals/approval-card.ts';
import { episodeStatus } from './episode/episode-status.ts';
import { takeDownload, type Download } from './exports/downloads.ts';
import { patternsChart } from './exports/patterns-report.ts';
import { handoverNow } from './handover/handover.ts';
import { homeView, homeViewForUser, type HomeView } from './home/home-view.ts';
import { channelsOf, listEpisodes } from './home/list-episodes.ts';
import { DEFAULT_TIME_ZONE } from '../messages/form-times.ts';

/** The time zone a person's forms read times in, and the procedure they take their options from. */
export interface FormContext {
  timeZone: string;
  protocol: Protocol;
}

/**
 * What people look at, as against what they do (`Engine.execute`): each query reads in one
 * transaction and records nothing, except that a download link is used up when it is taken.
 */
export interface Queries {
  /** `list`: a one-line status of each open or returned episode in the home behind a channel. */
  listEpisodes(platform: Platform, channelRef: string): Promise<Card | null>;
  /** `handover`: the summary of every open episode of the home behind a channel, or of a person's home. */
  handoverSummary(platform: Platform, where: { channelRef: string } | { userId: string }): Promise<Card | null>;
  /** `status <child>` for the home behind a channel. */
  episodeStatus(platform: Platform, channelRef: string, alias: string): Promise<Result>;
  /** The channels homes have on a platform, with the homes' names. */
  channels(platform: Platform): Promise<{ channelRef: string; homeName: string }[]>;
  /** The home a member of staff works in, as they see it on their platform (null if unknown). */
  homeViewForUser(platform: Platform, userId: string): Promise<HomeView | null>;
  /** The home behind a channel: its people on that platform and its episodes. */
  homeView(platform: Platform, channelRef: string): Promise<HomeView | null>;
  /** One person's own view of an approval's card (Teams role views): buttons only for who may decide. */
  approvalView(platform: Platform, userId: string, approvalId: string): Promise<Card | null>;
  /**
   * What a person's forms depend on: their home's time zone, in which the times they type are read,
   * and the procedure their home runs, from which the forms take their options (a children's
   * home's, in the default zone, if the person is unknown).
   */
  formContextOf(platform: Platform, userId: string): Promise<FormContext>;
  /** A file behind a one-time download link, once; null when the link is unknown, used or expired. */
  takeDownload(token: string): Promise<Download | null>;
  /** The patterns charts' Vega-Lite specification for a home or one child, for those who may see it. */
  patternsChart(platform: Platform, userId: string, child?: string): ReturnType<typeof patternsChart>;
}

/** The queries over one store. */
export function createQueries(deps: EngineDeps): Queries {
  const { store } = deps;
  return {
    listEpisodes: (platform, channelRef) =>
      store.transaction((tx) => listEpisodes(tx, platform, channelRef, deps.clock.now())),
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
    channels: (platform) => store.transaction((tx) => channelsOf(tx, platform)),
    homeViewForUser: (platform, userId) => store.transaction((tx) => homeViewForUser(tx, deps, platform, userId)),
    homeView: (platform, channelRef) => store.transaction((tx) => homeView(tx, deps, platform, channelRef)),
    approvalView: (platform, userId, approvalId) =>
      store.transaction((tx) => approvalView(tx, deps, platform, userId, approvalId)),
    formContextOf: (platform, userId) =>
      store.transaction(async (tx) => {
        const staff = await tx.staff.findByIdentity(platform, userId);
        const home = staff ? await tx.homes.get(staff.homeId) : null;
        return home
          ? { timeZone: home.timeZone, protocol: homeProtocol(deps, home) }
          : { timeZone: DEFAULT_TIME_ZONE, protocol: deps.protocols.childrens_home };
      }),
    takeDownload: (token) => store.transaction((tx) => takeDownload(tx, deps, token)),
    patternsChart: (platform, userId, child) =>
      store.transaction((tx) => patternsChart(tx, deps, platform, userId, child)),
  };
}
