import type { Actor, CommandOf } from '../commands/commands.ts';
import type { Tx } from '../../ports/store.ts';
import { platformName } from '../../messages/format.ts';
import { appendEntry } from './append-entry.ts';
import { BOT_AUTHOR, ok, refuse, type EngineDeps, type Result } from '../base/context.ts';

/** How the record names someone who is not staff, until the platform tells their name. */
export const unnamedAuthor = (actor: Pick<Actor, 'platform' | 'userId'>) =>
  `${actor.platform === 'web' ? 'Playground' : platformName(actor.platform)} user ${actor.userId}`;

/**
 * A thread message is written before the platform is asked who wrote it, so someone who is not
 * staff may first be recorded by their platform id alone. When the platform answers, the bot adds
 * who that is, once per person and episode: the entry itself is never changed.
 */
export async function nameAuthor(tx: Tx, deps: EngineDeps, cmd: CommandOf<'name_author'>): Promise<Result> {
  const episode = await tx.episodes.findByThread(cmd.thread.platform, cmd.thread.threadRef);
  if (!episode) return refuse('unknown_episode');
  const entry = await tx.record.findByPlatformMessage(episode.id, cmd.thread.platform, cmd.messageId);
  const unnamed = unnamedAuthor(cmd.actor);
  if (!entry || entry.authorStaffId || entry.authorName !== unnamed)
    return ok({ episodeId: episode.id, duplicate: true });
  const now = deps.clock.now();
  if (!(await tx.events.markProcessed(`named:${episode.id}:${cmd.actor.platform}:${cmd.actor.userId}`, now)))
    return ok({ episodeId: episode.id, duplicate: true });
  const name = cmd.actor.displayName.trim();
  await appendEntry(tx, episode.id, BOT_AUTHOR, now, {
    kind: 'author_named',
    text: `${unnamed}, who wrote entry ${entry.seq}, is ${name} by their ${platformName(cmd.actor.platform)} profile (not staff of this home).`,
    data: { platform: cmd.actor.platform, userId: cmd.actor.userId, name, entrySeq: entry.seq },
  });
  return ok({ episodeId: episode.id });
}
