import { higherRisk, type Episode } from '../../domain/episode.ts';
import { ageOn, childHistory, derivedFactors, type EarlierEpisode } from '../../domain/history.ts';
import { label } from '../../messages/format.ts';
import { noticeCard, statusLine } from '../../messages/cards.ts';
import { historyText, lastSeenText } from '../../messages/record-text.ts';
import type { ChildRecord, HomeRecord, PastEpisode, Tx } from '../../ports/store.ts';
import type { Protocol, RiskLevel } from '../../protocol/schema.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import {
  authorOf,
  homeProtocol,
  loadScope,
  ok,
  refuse,
  requireStaff,
  type EngineDeps,
  type Result,
} from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, showChecklist } from '../base/effects.ts';
import { currentEpisodeCard } from '../base/episode-card.ts';
import { EPISODE_CARD_KEY } from '../../messages/outbound.ts';

/** The risk an episode starts at: the highest level any of the child's known factors raises it to. */
export function initialRisk(protocol: Protocol, factors: string[]): RiskLevel {
  let level: RiskLevel = 'medium'; // when in doubt, not low: the police grade refines it
  for (const id of factors) {
    const factor = protocol.riskFactors.find((f) => f.id === id);
    if (factor) level = higherRisk(level, factor.raisesTo);
  }
  return level;
}

async function findChild(tx: Tx, home: HomeRecord, text: string): Promise<ChildRecord> {
  const alias = text.trim();
  if (!alias) return refuse('no_child_given');
  const child = await tx.children.findByAlias(home.id, alias);
  if (child && child.active) return child;
  const known = (await tx.children.listForHome(home.id)).filter((c) => c.active).map((c) => c.alias);
  return refuse('unknown_child', { alias: alias.slice(0, 40), known });
}

/**
 * `/missing <child>`: opens the child's episode, or joins it while the child is missing (one
 * missing episode per child at a time; after a return a new report is a new episode, linked to the
 * earlier one). Opening works out the risk factors the record shows, posts the root card and the
 * first checklists and starts the schedule.
 */
export async function openEpisode(tx: Tx, deps: EngineDeps, cmd: CommandOf<'open_episode'>): Promise<Result> {
  const now = deps.clock.now();
  const home = await tx.homes.findByChannel(cmd.channel.platform, cmd.channel.channelRef);
  if (!home) return refuse('unknown_home');
  const staff = await requireStaff(tx, cmd.actor);
  if (staff.homeId !== home.id) return refuse('unknown_staff');
  const child = await findChild(tx, home, cmd.child);
  const author = authorOf(staff);

  // Joined only while the child is missing: after a return, a new report is a new episode.
  const existing = await tx.episodes.findMissingForChild(child.id);
  if (existing) return join(tx, deps, existing, author, now);

  // Drills are practice: they never count in a child's history.
  const earlier = (await tx.history.episodes(home.id, child.id)).filter((e) => !e.isDrill).map(asEarlier);
  const previous = earlier.at(-1) ?? null;
  const rules = {
    night: home.policy.nightHours,
    repeatWithinDays: home.policy.repeatWithinDays,
    longEpisodeHours: home.policy.longEpisodeHours,
  };
  const derived = derivedFactors({
    now,
    timeZone: home.timeZone,
    dateOfBirth: child.personal.dateOfBirth,
    earlier,
    rules,
  });
  const history = historyText(childHistory(earlier, now, rules), now);
  const classification = 'missing'; // when in doubt, missing: a downgrade needs a manager
  // Age is worked out from the date of birth on the day; a hand-typed "under 13" goes stale, and
  // when it is set aside the record says so, rather than dropping it without a word.
  const dateOfBirth = child.personal.dateOfBirth;
  const planFactors = dateOfBirth ? child.plan.riskFactors.filter((f) => f !== 'under-13') : child.plan.riskFactors;
  const setAside =
    dateOfBirth && child.plan.riskFactors.includes('under-13') && !derived.some((d) => d.id === 'under-13')
      ? `the plan’s “under 13” no longer applies: ${ageOn(dateOfBirth, now, home.timeZone)} years old today (date of birth on file)`
      : null;
  const riskFactors = [...new Set([...planFactors, ...derived.map((d) => d.id)])];
  const protocol = homeProtocol(deps, home);
  const riskLevel = initialRisk(protocol, riskFactors);
  const byPlan = notApplicableByPlan(child, protocol);
  const lastSeenAt = cmd.lastSeen?.at ?? null;
  checkTime('last-seen time', cmd.lastSeen?.at, now);
  const episodeId = await tx.episodes.create({
    homeId: home.id,
    childId: child.id,
    classification,
    riskLevel,
    riskFactors,
    isDrill: cmd.drill ?? false,
    // Only drills run fast: a real episode's schedule is never compressed.
    drillSpeed: cmd.drill ? (cmd.drillSpeed ?? 60) : 1,
    openedAt: now,
    openedByStaffId: staff.id,
    platform: cmd.channel.platform,
    lastSeenAt,
    lastSeenPlace: cmd.lastSeen?.place || null,
    lastSeenBy: cmd.lastSeen?.by || null,
    clothing: cmd.clothing || null,
    withWhom: cmd.withWhom || null,
    previousEpisodeId: previous?.id ?? null,
    historyNote: history || null,
  });
  await tx.episodes.addClassification(episodeId, {
    classification,
    at: now,
    byStaffId: staff.id,
    reason: 'Default on opening: treated as missing until agreed otherwise with the police',
  });
  await tx.episodes.addRisk(episodeId, {
    level: riskLevel,
    factors: riskFactors,
    source: 'internal',
    at: now,
    byStaffId: staff.id,
    reason:
      (derived.length
        ? `Starting rating from the child’s plan and what the record shows: ${derived.map((d) => d.why).join('; ')}`
        : 'Starting rating from the child’s plan') + (setAside ? `; ${setAside}` : ''),
  });
  await appendEntry(tx, episodeId, author, now, {
    kind: 'episode_opened',
    text:
      `${staff.displayName} opened the episode for ${child.alias}${cmd.drill ? ` as a DRILL (schedule ${cmd.drillSpeed ?? 60}× faster)` : ''}. Classified missing by default; risk ${label(riskLevel).toLowerCase()}.` +
      (derived.length ? ` Worked out from the record: ${derived.map((d) => d.why).join('; ')}.` : '') +
      (setAside ? ` Set aside: ${setAside}.` : '') +
      (byPlan.length ? ` Not applicable by the child’s plan: ${byPlan.map((i) => i.reason).join('; ')}.` : '') +
      (history ? ` History: ${history}.` : ''),
    data: {
      classification,
      riskLevel,
      riskFactors,
      derivedFactors: derived,
      ...(setAside ? { setAsideFactors: ['under-13'] } : {}),
      ...(byPlan.length ? { notApplicableByPlan: byPlan.map((i) => i.itemId) } : {}),
      previousEpisodeId: previous?.id ?? null,
      drill: cmd.drill ?? false,
      ...(cmd.drill ? { drillSpeed: cmd.drillSpeed ?? 60 } : {}),
    },
  });
  if (lastSeenAt || cmd.lastSeen?.place || cmd.clothing || cmd.withWhom) {
    await appendEntry(tx, episodeId, author, now, {
      kind: 'last_seen',
      text: lastSeenText(
        {
          at: lastSeenAt,
          place: cmd.lastSeen?.place,
          by: cmd.lastSeen?.by,
          clothing: cmd.clothing,
          withWhom: cmd.withWhom,
        },
        home.timeZone,
      ),
      data: {
        at: lastSeenAt?.toISOString() ?? null,
        place: cmd.lastSeen?.place ?? null,
        by: cmd.lastSeen?.by ?? null,
        clothing: cmd.clothing ?? null,
        withWhom: cmd.withWhom ?? null,
      },
    });
  }
  for (const { itemId, reason } of byPlan)
    await tx.episodes.setItem(episodeId, itemId, { status: 'not_applicable', reason, byStaffId: staff.id, at: now });
  const scope = await loadScope(tx, deps, episodeId);
  const channelRef =
    home.channels.find((c) => c.platform === cmd.channel.platform)?.channelRef ?? cmd.channel.channelRef;
  await tx.outbox.enqueue({
    homeId: home.id,
    episodeId,
    platform: cmd.channel.platform,
    message: {
      target: { kind: 'episode_root', channelRef },
      // Drawn again by afterChange below once the schedule exists; that update replaces this one
      // while it waits, so the thread starts with the card as it stands.
      card: currentEpisodeCard(scope, [staff], [], now),
      cardKey: EPISODE_CARD_KEY,
    },
    at: now,
  });
  await showChecklist(tx, scope, 'establish', now);
  await showChecklist(tx, scope, 'notify', now);
  await afterChange(tx, deps, episodeId, now);
  const opened = `${previous ? 'New episode' : 'Episode'} opened for ${child.alias}${history ? ` (${history})` : ''}. The checklist is in the thread.`;
  const highNow = riskLevel === 'high' ? ' Risk is high: call the police on 999 now.' : '';
  return ok({ episodeId, reply: noticeCard(`${opened}${highNow}`, 'urgent') });
}

/** The items the child's plan rules out (the IRO only if it asks; parents unless it says not), with the plan's reason. */
function notApplicableByPlan(child: ChildRecord, protocol: Protocol): { itemId: string; reason: string }[] {
  return protocol.checklist.flatMap((item) =>
    item.onlyIf && !child.plan[item.onlyIf.plan] ? [{ itemId: item.id, reason: item.onlyIf.otherwise }] : [],
  );
}

/** An earlier episode as the risk and the history line read it. */
function asEarlier(e: PastEpisode): EarlierEpisode {
  const indicators = e.returnDetails?.indicators;
  return {
    id: e.id,
    openedAt: e.openedAt,
    lastSeenAt: e.lastSeenAt,
    returnedAt: e.returnedAt,
    indicators: Array.isArray(indicators) ? indicators.filter((i): i is string => typeof i === 'string') : [],
  };
}

async function join(
  tx: Tx,
  deps: EngineDeps,
  episode: Episode,
  author: ReturnType<typeof authorOf>,
  now: Date,
): Promise<Result> {
  await appendEntry(tx, episode.id, author, now, {
    kind: 'episode_joined',
    text: `${author.name} joined the open episode.`,
  });
  return ok({
    episodeId: episode.id,
    joined: true,
    reply: noticeCard(
      `${episode.alias} already has an open episode — you have joined it. ${statusLine(episode, now)}.`,
      'warning',
    ),
  });
}
