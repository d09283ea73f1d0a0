import type { HomeView } from '../../src/engine/home/home-view.ts';
import { formatDuration, formatTime, label } from '../../src/messages/format.ts';
import { episodesHeading } from '../../src/messages/cards.ts';
import type { Episode } from '../../src/domain/episode.ts';
import { escape, LIMITS, type Block } from './blocks.ts';

/** The Home tab: the viewer's home and its open episodes, with what is due next. */
export function homeTab(view: HomeView | null, now: Date): Block {
  const blocks: Block[] = [];
  if (!view) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'You are not on the staff list of any home yet. Ask your manager to add your Slack account to the home configuration.',
      },
    });
    return { type: 'home', blocks };
  }
  blocks.push({
    type: 'header',
    text: {
      type: 'plain_text',
      text: episodesHeading(view.name, view.episodes as { status: Episode['status'] }[]).slice(0, LIMITS.headerText),
    },
  });
  if (view.episodes.length === 0)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'No open episodes. Type `/missing <alias>` in the home’s channel if a child is missing.',
      },
    });
  // Each episode takes two blocks (and a divider); the Home tab allows 100.
  for (const e of view.episodes.slice(0, 30)) {
    const since =
      e.status === 'open'
        ? `missing ${formatDuration(now.getTime() - e.since.getTime())}`
        : label(e.status).toLowerCase();
    const next = e.nextDue
      ? `${e.nextDue.rule.replaceAll('-', ' ')} at ${formatTime(e.nextDue.dueAt, view.timeZone)}`
      : 'nothing scheduled';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${e.isDrill ? '[DRILL] ' : ''}${escape(e.alias)}* — ${since}, ${label(e.classification).toLowerCase()}, risk *${label(e.riskLevel).toLowerCase()}*`,
      },
    });
    // After the return, what is statutory and due leads; the next reminder comes after it.
    const due = e.followUps ? `${escape(e.followUps)}\n` : '';
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `${due}Stage: ${e.stage} · Next: ${escape(next)}`.slice(0, LIMITS.sectionText) },
      ],
    });
    blocks.push({ type: 'divider' });
  }
  if (view.episodes.length > 30)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `…and ${view.episodes.length - 30} more: use \`/missing list\`.` },
    });
  return { type: 'home', blocks };
}
