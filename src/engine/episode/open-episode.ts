import { higherRisk, type Episode } from '../../domain/episode.ts';
import { noticeCard, rootCard, statusLine } from '../../messages/cards.ts';
import { lastSeenText } from '../../messages/record-text.ts';
import type { ChildRecord, HomeRecord, Tx } from '../../ports/store.ts';
import type { Protocol, RiskLevel } from '../../protocol/schema.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { authorOf, loadScope, ok, refuse, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, showChecklist } from '../base/effects.ts';

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
 * `/missing <child>`: opens the child's episode, or joins the one already open (one per child at
 * a time). Opening posts the root card and the first checklists and starts the schedule.
 */
export async function openEpisode(tx: Tx, deps: EngineDeps, cmd: CommandOf<'open_episode'>): Promise<Result> {
  const now = deps.clock.now();
  const home = await tx.homes.findByChannel(cmd.channel.platform, cmd.channel.channelRef);
  if (!home) return refuse('unknown_home');
  const staff = await requireStaff(tx, cmd.actor);
  if (staff.homeId !== home.id) return refuse('unknown_staff');
  const child = await findChild(tx, home, cmd.child);
  const author = authorOf(staff);

  const existing = await tx.episodes.findOpenForChild(child.id);
  if (existing) return join(tx, deps, existing, author, now);

  const classification = 'missing'; // when in doubt, missing: a downgrade needs a manager
  const riskFactors = child.plan.riskFactors;
  const riskLevel = initialRisk(deps.protocol, riskFactors);
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
    reason: 'Starting rating from the child’s plan',
  });
  await appendEntry(tx, episodeId, author, now, {
    kind: 'episode_opened',
    text: `${staff.displayName} opened the episode for ${child.alias}${cmd.drill ? ` as a DRILL (schedule ${cmd.drillSpeed ?? 60}× faster)` : ''}. Classified missing by default; risk ${riskLevel.replace('_', ' ')}.`,
    data: {
      classification,
      riskLevel,
      riskFactors,
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
  const scope = await loadScope(tx, deps, episodeId);
  const channelRef =
    home.channels.find((c) => c.platform === cmd.channel.platform)?.channelRef ?? cmd.channel.channelRef;
  await tx.outbox.enqueue({
    homeId: home.id,
    episodeId,
    platform: cmd.channel.platform,
    message: {
      target: { kind: 'episode_root', channelRef },
      card: rootCard(scope.episode, home.timeZone, staff.displayName),
      cardKey: 'root',
    },
    at: now,
  });
  await showChecklist(tx, scope, 'establish', now);
  await showChecklist(tx, scope, 'notify', now);
  await afterChange(tx, deps, episodeId, now);
  return ok({
    episodeId,
    reply: noticeCard(`Episode opened for ${child.alias}. The checklist is in the thread.`, 'urgent'),
  });
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
