import { plannedPings } from '../../domain/ladder.ts';
import { incomingShift, latestShiftChange } from '../../domain/shifts.ts';
import { noticeCard, settledCard } from '../../messages/cards.ts';
import { formatTime } from '../../messages/format.ts';
import type { Card } from '../../messages/outbound.ts';
import type { HomeRecord, PingRecord, StaffRecord, Tx } from '../../ports/store.ts';
import { episodeHandoverCard, handoverCard, type HandoverItem } from '../../reports/handover.ts';
import { appendEntry } from '../record/append-entry.ts';
import type { CommandOf } from '../commands/commands.ts';
import {
  authorOf,
  BOT_AUTHOR,
  fail,
  loadScope,
  scopeOf,
  homeProtocol,
  ok,
  refuse,
  requireStaff,
  type EngineDeps,
  type Result,
} from '../base/context.ts';
import { postToThread, sendDirect, updateCopies } from '../base/effects.ts';
import { audienceOf } from '../base/audience.ts';

/** Entry kinds that count as new information for the handover's "latest". */
const informationKinds = [
  'message',
  'message_edited',
  'new_information',
  'search',
  'contact_attempt',
  'last_seen',
  'police_report',
  'risk',
  'returned',
];
/** A handover not accepted is sent again after this long, and escalated to managers after twice it. */
export const HANDOVER_RESEND_MINUTES = 15;
/** Handovers for a shift change longer ago than this (the bot was down) are not sent late. */
const STALE_AFTER_MS = 2 * 3_600_000;

/** What the handover says about each open episode of a home. */
export async function collectHandover(tx: Tx, deps: EngineDeps, home: HomeRecord, now: Date): Promise<HandoverItem[]> {
  // A fixed number of reads however many episodes are open: each kind of row for all of them at once.
  const episodes = await tx.episodes.listActive(home.id);
  const ids = episodes.map((e) => e.id);
  const children = new Map((await tx.children.listForHome(home.id)).map((c) => [c.id, c]));
  const latest = await tx.record.latestOfEach(ids, informationKinds);
  const sent = groupBy(await tx.pings.ofEpisodes(ids, 'sent'));
  const pending = groupBy(await tx.pings.ofEpisodes(ids, 'pending'));
  // A child the configuration has moved to another home since the episode opened is read on its own:
  // an open episode is never left out of the handover.
  for (const e of episodes) {
    if (children.has(e.childId)) continue;
    const moved = await tx.children.get(e.childId);
    if (moved) children.set(moved.id, moved);
  }
  const protocol = homeProtocol(deps, home);
  return episodes.flatMap((episode) => {
    const child = children.get(episode.childId);
    if (!child) return []; // no such child at all: the store's foreign key rules this out
    const scope = scopeOf(deps, episode, home, child, protocol);
    const wanted = new Set(plannedPings(episode, scope.ladder, now).map((p) => p.key));
    const entry = latest.get(episode.id);
    return [
      {
        episode,
        latest: entry ? { text: entry.text, at: entry.at, author: entry.authorName } : null,
        overdue: (sent.get(episode.id) ?? [])
          .filter((p) => wanted.has(p.key))
          .map((p) => ({ rule: p.rule, dueAt: p.dueAt })),
        next: (pending.get(episode.id) ?? []).map((p) => ({ rule: p.rule, dueAt: p.dueAt })),
      },
    ];
  });
}

/** Pings by episode, in the order given (soonest first). */
function groupBy(pings: PingRecord[]): Map<string, PingRecord[]> {
  const byEpisode = new Map<string, PingRecord[]>();
  for (const p of pings) {
    if (!p.episodeId) continue;
    const list = byEpisode.get(p.episodeId);
    if (list) list.push(p);
    else byEpisode.set(p.episodeId, [p]);
  }
  return byEpisode;
}

/** The direct copies of one handover, updated together once someone accepts it. */
const handoverCopy = (handoverId: string) => ({ episodeId: null, key: `handover:${handoverId}` });

/** The people a handover goes to: the on-call staff, or the managers when none is named. */
export async function handoverAudience(tx: Tx, home: HomeRecord, who: 'on_call' | 'managers'): Promise<StaffRecord[]> {
  return audienceOf({ home }, await tx.staff.listForHome(home.id), who);
}

/**
 * Who a shift's handover is for: the people the rota puts on the incoming shift, or, where the
 * rota does not cover it, the on-call staff (the managers when none is named).
 */
async function incomingStaff(tx: Tx, home: HomeRecord, shiftAt: Date): Promise<StaffRecord[]> {
  const ids = incomingShift(home.rota, home.timeZone, shiftAt);
  const staff = await tx.staff.listForHome(home.id);
  const onShift = ids.flatMap((id) => staff.filter((s) => s.id === id && s.active));
  return onShift.length ? onShift : handoverAudience(tx, home, 'on_call');
}

/**
 * At a shift change: the handover summary to the incoming on-call staff (with "I accept
 * handover"), each episode's part in its thread and record, and reminders to re-send and then
 * escalate it if nobody accepts. The unique (home, shift) row makes it once across instances.
 */
export async function sendShiftHandover(tx: Tx, deps: EngineDeps, home: HomeRecord, now: Date): Promise<boolean> {
  const shiftAt = latestShiftChange(home.shiftChanges, home.timeZone, now);
  if (!shiftAt || now.getTime() - shiftAt.getTime() > STALE_AFTER_MS) return false;
  // Every tick asks; only the first after a shift change has work to do.
  if (await tx.handovers.exists(home.id, shiftAt)) return false;
  const items = await collectHandover(tx, deps, home, now);
  // Nothing to hand over unless an episode was already open when the shift changed (one opened
  // since is being handled by the people on shift now).
  if (!items.some((i) => i.episode.openedAt.getTime() <= shiftAt.getTime())) return false;
  const handoverId = await tx.handovers.create(home.id, shiftAt, now);
  if (!handoverId) return false;
  const protocol = homeProtocol(deps, home);
  const incoming = await incomingStaff(tx, home, shiftAt);
  await sendDirect(
    tx,
    home,
    incoming,
    handoverCard(home, items, protocol, now, handoverId),
    now,
    handoverCopy(handoverId),
  );
  for (const item of items) {
    const scope = await loadScope(tx, deps, item.episode.id);
    const card = episodeHandoverCard(item, protocol, home.timeZone, now);
    await appendEntry(tx, item.episode.id, BOT_AUTHOR, now, {
      kind: 'handover',
      text: `Shift handover (${formatTime(shiftAt, home.timeZone)}) sent to ${incoming.map((p) => p.displayName).join(', ') || 'nobody on call'}.`,
      data: { handoverId, shiftAt: shiftAt.toISOString(), to: incoming.map((p) => p.id) },
    });
    await postToThread(tx, scope, card, now);
  }
  const minute = 60_000;
  for (const [rule, after] of [
    ['handover-resend', HANDOVER_RESEND_MINUTES],
    ['handover-escalate', 2 * HANDOVER_RESEND_MINUTES],
  ] as const) {
    await tx.pings.insert({
      key: `handover/${handoverId}/${rule}`,
      homeId: home.id,
      episodeId: null,
      rule,
      audience: rule === 'handover-resend' ? 'on_call' : 'managers',
      dueAt: new Date(shiftAt.getTime() + after * minute),
      createdAt: now,
    });
  }
  return true;
}

/** "I accept handover": logged in every open episode's record; the re-send and escalation stop. */
export async function acceptHandover(tx: Tx, deps: EngineDeps, cmd: CommandOf<'accept_handover'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const handover = await tx.handovers.get(cmd.handoverId);
  if (!handover || handover.homeId !== staff.homeId) return refuse('handover_not_found');
  if (!(await tx.handovers.accept(handover.id, staff.id, now))) {
    const by = handover.acceptedByStaffId
      ? ((await tx.staff.get(handover.acceptedByStaffId))?.displayName ?? 'someone')
      : 'someone';
    return fail('handover_already_accepted', { by });
  }
  await tx.pings.cancelByPrefix(`handover/${handover.id}/`, 'handover accepted', now);
  const home = (await tx.homes.get(handover.homeId))!;
  // Every copy sent (first, again, escalated) says who took it, and has no button left to press.
  const accepted = `Accepted by ${staff.displayName} at ${formatTime(now, home.timeZone)}.`;
  await updateCopies(tx, home.id, handoverCopy(handover.id), now, (card) => settledCard(card, accepted));
  for (const episode of await tx.episodes.listActive(home.id)) {
    await appendEntry(tx, episode.id, authorOf(staff), now, {
      kind: 'handover_accepted',
      text: `${staff.displayName} accepted the handover of the ${formatTime(handover.shiftAt, home.timeZone)} shift change.`,
      data: { handoverId: handover.id },
    });
  }
  return ok({
    reply: noticeCard(
      `Thank you — you have accepted the handover. It is in the record of every open episode.`,
      'success',
    ),
  });
}

/** `/missing handover`: the same summary, on demand, for the home behind a channel or a person. */
export async function handoverNow(tx: Tx, deps: EngineDeps, home: HomeRecord): Promise<Card> {
  const now = deps.clock.now();
  return handoverCard(home, await collectHandover(tx, deps, home, now), homeProtocol(deps, home), now);
}

/**
 * A handover reminder: if nobody has accepted yet, send the summary again to the on-call staff,
 * or escalate it to the managers. Returns false when there is nothing left to do (accepted).
 */
export async function sendHandoverReminder(
  tx: Tx,
  deps: EngineDeps,
  ping: { key: string; rule: string },
  now: Date,
): Promise<boolean> {
  const handoverId = ping.key.split('/')[1] ?? '';
  const handover = await tx.handovers.get(handoverId);
  if (!handover || handover.status !== 'pending') return false;
  const home = await tx.homes.get(handover.homeId);
  if (!home) return false;
  const items = await collectHandover(tx, deps, home, now);
  const protocol = homeProtocol(deps, home);
  const escalate = ping.rule === 'handover-escalate';
  const onCall = await incomingStaff(tx, home, handover.shiftAt);
  const people = escalate ? await handoverAudience(tx, home, 'managers') : onCall;
  const card = handoverCard(home, items, protocol, now, handover.id);
  const shift = formatTime(handover.shiftAt, home.timeZone);
  if (escalate)
    card.blocks.unshift({
      type: 'text',
      text: `Nobody has accepted the ${shift} handover (sent to ${onCall.map((p) => p.displayName).join(', ')}). Please make sure someone has it.`,
    });
  await sendDirect(tx, home, people, card, now, handoverCopy(handover.id));
  for (const item of items) {
    await appendEntry(tx, item.episode.id, BOT_AUTHOR, now, {
      kind: 'ping',
      text: escalate
        ? `The ${shift} handover was not accepted: escalated to ${people.map((p) => p.displayName).join(', ')}.`
        : `The ${shift} handover was not accepted yet: sent again to ${people.map((p) => p.displayName).join(', ')}.`,
      data: { handoverId: handover.id, rule: ping.rule, to: people.map((p) => p.id) },
    });
  }
  return true;
}
