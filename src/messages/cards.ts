import { followUpsDue, type FollowUp } from '../domain/closure.ts';
import type { Episode } from '../domain/episode.ts';
import type { ApprovalRecord } from '../domain/approval.ts';
import type { Protocol, StageId } from '../protocol/schema.ts';
import { formValue } from './forms.ts';
import { formatDuration, formatTime, label, policeReference } from './format.ts';
import { ActionIds, type Card, type CardAction, type CardBlock, type Mention } from './outbound.ts';

const itemValue = (episodeId: string, itemId: string) => `${episodeId}|${itemId}`;
/** Splits the value of a checklist button back into episode and item. */
export function parseItemValue(value: string): { episodeId: string; itemId: string } | null {
  const [episodeId, itemId] = value.split('|');
  return episodeId && itemId ? { episodeId, itemId } : null;
}

export const drillMark = (e: Pick<Episode, 'isDrill'>) => (e.isDrill ? '[DRILL] ' : '');

/**
 * The checklist of one stage, with a tick and a "not applicable" button for each open item, and
 * who dealt with each item that is done and when.
 */
export function checklistCard(
  e: Episode,
  protocol: Protocol,
  stage: StageId,
  timeZone: string,
  names: ReadonlyMap<string, string> = new Map(),
  /** Whom to call for an item, in words (see calls.ts), shown under it while it is open. */
  calls: ReadonlyMap<string, string> = new Map(),
): Card {
  const spec = protocol.stages.find((s) => s.id === stage);
  const items = protocol.checklist
    .filter((i) => i.stage === stage)
    .map((item) => {
      const state = e.checklist[item.id];
      const actions: CardAction[] = state
        ? []
        : [
            { id: ActionIds.tickItem, label: 'Done', value: itemValue(e.id, item.id), style: 'primary' },
            ...(item.canBeNotApplicable
              ? [
                  {
                    id: ActionIds.notApplicable,
                    label: 'Not applicable',
                    value: formValue('not_applicable', e.id, item.id),
                  },
                ]
              : []),
          ];
      const who = state ? (names.get(state.byStaffId) ?? 'a member of staff') : '';
      const note = state
        ? `${state.status === 'done' ? 'Done' : `Not applicable (${state.reason ?? 'no reason given'})`} by ${who} · ${formatTime(state.at, timeZone)}`
        : undefined;
      const help = [item.help, state ? undefined : calls.get(item.id)].filter(Boolean).join(' ');
      return {
        id: item.id,
        label: item.label,
        ...(help ? { help } : {}),
        status: state ? state.status : ('open' as const),
        ...(note ? { note } : {}),
        actions,
      };
    });
  const open = items.filter((i) => i.status === 'open').length;
  const blocks: CardBlock[] = [
    { type: 'text', text: spec?.summary ?? '' },
    { type: 'checklist', items },
  ];
  const forms = stageForms(e.id, stage);
  if (forms.length > 0) blocks.push({ type: 'actions', actions: forms });
  const title = `${drillMark(e)}${spec?.title ?? stage} — ${open === 0 ? 'all done' : `${open} open`}`;
  return { title, tone: open === 0 ? 'success' : 'info', blocks, fallback: `${title} for ${e.alias}` };
}

function stageForms(episodeId: string, stage: StageId): CardAction[] {
  const open = (form: Parameters<typeof formValue>[0], text: string): CardAction => ({
    id: ActionIds.openForm,
    label: text,
    value: formValue(form, episodeId),
  });
  switch (stage) {
    case 'establish':
      return [
        open('last_seen', 'Last seen details'),
        open('contact_attempt', 'Log a contact attempt'),
        open('risk', 'Risk'),
      ];
    case 'notify':
      return [
        open('police_report', 'Police report'),
        open('notification', 'Log a notification'),
        open('classify', 'Classification'),
      ];
    case 'search':
      return [
        open('search', 'Log a search'),
        open('contact_attempt', 'Log a contact attempt'),
        open('return', 'Child has returned'),
      ];
    case 'return':
      return [open('return', 'Return details'), open('follow_up', 'Police told / safe and well / risk assessment')];
    case 'review':
      return [open('rhi', 'Return home interview'), open('closure', 'Ask to close the episode')];
  }
}

/** A scheduled reminder, naming who must act, on what, by when. */
export function pingCard(
  e: Episode,
  text: string,
  audienceLabel: string,
  dueAt: Date,
  timeZone: string,
  extra: { mentions?: Mention[] } = {},
): Card {
  const title = `${drillMark(e)}Reminder for ${audienceLabel}`;
  return {
    title,
    tone: 'warning',
    fallback: `${title}: ${text}`,
    ...(extra.mentions?.length ? { mentions: extra.mentions } : {}),
    blocks: [
      { type: 'text', text },
      { type: 'fields', fields: [{ label: 'Due', value: formatTime(dueAt, timeZone) }] },
    ],
  };
}

const approvalWords: Record<ApprovalRecord['kind'], string> = {
  downgrade_classification: 'Change the classification to',
  downgrade_risk: 'Lower the risk to',
  closure: 'Close the episode',
  signoff_ofsted: 'Sign off the Ofsted notification',
  signoff_record: 'Sign off the final record',
  police_not_required: 'Agree not to report to the police',
};

/** What an approval asks for, in words. */
export function approvalSummary(a: Pick<ApprovalRecord, 'kind' | 'payload'>): string {
  const to = typeof a.payload.to === 'string' ? ` ${label(a.payload.to).toLowerCase()}` : '';
  return `${approvalWords[a.kind]}${to}`;
}

/** A request for a manager's decision; once decided it shows who decided and when. */
export function approvalCard(
  a: ApprovalRecord,
  e: Episode,
  names: { requester: string; decider?: string },
  timeZone: string,
  warnings: string[] = [],
): Card {
  const what = approvalSummary(a);
  const reason = typeof a.payload.reason === 'string' ? a.payload.reason : '';
  const blocks: CardBlock[] = [
    { type: 'text', text: `${names.requester} asks: ${what} for ${e.alias}.${reason ? ` Reason: ${reason}` : ''}` },
  ];
  if (typeof a.payload.text === 'string') blocks.push({ type: 'text', text: a.payload.text });
  if (warnings.length > 0) blocks.push({ type: 'text', text: `Still outstanding: ${warnings.join('; ')}.` });
  if (a.status === 'pending') {
    blocks.push({
      type: 'actions',
      actions: [
        { id: ActionIds.approve, label: 'Approve', value: a.id, style: 'primary' },
        { id: ActionIds.decline, label: 'Decline', value: a.id, style: 'danger' },
      ],
    });
  } else {
    blocks.push({
      type: 'text',
      text: `${a.status === 'approved' ? 'Approved' : 'Declined'} by ${names.decider ?? 'a manager'} at ${a.decidedAt ? formatTime(a.decidedAt, timeZone) : ''}${a.note ? ` — ${a.note}` : ''}`,
    });
  }
  const heading = { pending: 'Approval needed', approved: 'Approved', declined: 'Declined' }[a.status];
  const title = `${drillMark(e)}${heading}: ${what}`;
  return { title, tone: a.status === 'pending' ? 'warning' : 'info', blocks, fallback: `${title} (${e.alias})` };
}

/** A card that has been dealt with: its buttons gone, and a line saying how it was settled. */
export function settledCard(card: Card, text: string): Card {
  const blocks = card.blocks.filter((b) => b.type !== 'actions');
  return { ...card, tone: 'success', blocks: [...blocks, { type: 'text', text }] };
}

/** Every card of a drill says so, notices included, so nobody mistakes practice for a real child. */
export function markedAsDrill(card: Card): Card {
  const mark = drillMark({ isDrill: true });
  if (card.title) return card.title.startsWith(mark) ? card : { ...card, title: `${mark}${card.title}` };
  const [first, ...rest] = card.blocks;
  if (first?.type !== 'text' || first.text.startsWith(mark)) return card;
  return {
    ...card,
    blocks: [{ ...first, text: `${mark}${first.text}` }, ...rest],
    fallback: `${mark}${card.fallback}`,
  };
}

/** The first thing the bot says where it has just been added: what it is for and how to start. */
export function welcomeCard(start: string, help: string): Card {
  const title = 'Hello — I run the missing-from-care protocol here';
  return {
    title,
    tone: 'info',
    blocks: [
      {
        type: 'text',
        text: `When a child is missing, type ${start} (their alias, e.g. AJ). I open a thread for the episode, run the timed checklist there, remind the right people on time and ask a manager when a decision needs one.`,
      },
      {
        type: 'text',
        text: 'Everything written in an episode’s thread is part of the legal record. When in doubt, treat the child as missing, and never wait for me to call the police.',
      },
      { type: 'text', text: help },
    ],
    fallback: `${title}. To start, type ${start}.`,
  };
}

/** A short note confirming what was recorded: no heading, just the words. */
export function noticeCard(text: string, tone: Card['tone'] = 'info'): Card {
  return {
    title: '',
    tone,
    blocks: [{ type: 'text', text }],
    fallback: text,
  };
}

/**
 * What a home's list holds, counted as it is: "Oak House: 1 missing, 1 returned, 1 closed with
 * follow-ups due" (a closed episode is listed while its after-return work is still due).
 */
export function episodesHeading(homeName: string, episodes: Pick<Episode, 'status'>[]): string {
  const count = (status: Episode['status']) => episodes.filter((e) => e.status === status).length;
  const parts = [
    [count('open'), 'missing'],
    [count('returned'), 'returned'],
    [count('closed'), 'closed with follow-ups due'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, what]) => `${n} ${what}`);
  return `${homeName}: ${parts.length > 0 ? parts.join(', ') : 'no open episodes'}`;
}

/** An episode at a glance, for `status` and lists. */
export function statusLine(e: Episode, now: Date): string {
  const since = e.lastSeenAt ?? e.openedAt;
  const state =
    e.status === 'open'
      ? `${label(e.classification).toLowerCase()} ${formatDuration(now.getTime() - since.getTime())}`
      : label(e.status).toLowerCase();
  return `${drillMark(e)}${e.alias}: ${state}, risk ${label(e.riskLevel).toLowerCase()}${e.police ? `, police ${e.police.reference ? `ref ${e.police.reference}` : 'reference to follow'}` : ', police not yet told'}`;
}

/** Where an episode stands: the facts, what is still open, and what is coming. */
export function statusCard(
  e: Episode,
  protocol: Protocol,
  timeZone: string,
  now: Date,
  upcoming: { rule: string; dueAt: Date }[],
): Card {
  const since = e.lastSeenAt ?? e.openedAt;
  const fields = [
    { label: 'Status', value: label(e.status) },
    { label: 'Classification', value: label(e.classification) },
    { label: 'Risk', value: label(e.riskLevel) },
    {
      label: e.status === 'open' ? 'Missing for' : 'Returned',
      value:
        e.status === 'open'
          ? formatDuration(now.getTime() - since.getTime())
          : e.returnedAt
            ? formatTime(e.returnedAt, timeZone)
            : '—',
    },
    {
      label: 'Last seen',
      value: e.lastSeenAt
        ? `${formatTime(e.lastSeenAt, timeZone)}${e.lastSeenPlace ? ` at ${e.lastSeenPlace}` : ''}`
        : 'not recorded',
    },
    {
      label: 'Police',
      value: e.police ? `${policeReference(e.police)}, graded ${label(e.police.grade).toLowerCase()}` : 'not yet told',
    },
  ];
  if (e.status !== 'open') fields.push({ label: 'Return home interview', value: label(e.rhi.status) });
  // After the return, what the return asks for leads; the search's leftovers come last.
  const afterReturn = new Set(e.status === 'open' ? [] : ['return', 'review']);
  const open = protocol.checklist
    .filter((i) => !e.checklist[i.id])
    .sort((a, b) => Number(afterReturn.has(b.stage)) - Number(afterReturn.has(a.stage)));
  const blocks: CardBlock[] = [{ type: 'fields', fields }];
  const due = followUpsDue(e, protocol);
  if (due.length > 0) blocks.push({ type: 'text', text: followUpsText(due, timeZone) });
  blocks.push({
    type: 'text',
    text:
      open.length === 0
        ? 'Every checklist item is dealt with.'
        : `Still open (${open.length}): ${open
            .slice(0, 8)
            .map((i) => i.label)
            .join('; ')}${open.length > 8 ? '; …' : ''}`,
  });
  if (upcoming.length > 0) {
    const next = [...upcoming].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()).slice(0, 5);
    blocks.push({
      type: 'text',
      text: `Next reminders: ${next.map((p) => `${formatTime(p.dueAt, timeZone)} (${p.rule.replaceAll('-', ' ')})`).join('; ')}`,
    });
  }
  const title = `${drillMark(e)}${e.alias}: ${label(e.status).toLowerCase()}`;
  return { title, tone: e.status === 'open' ? 'warning' : 'info', blocks, fallback: `${title}. ${statusLine(e, now)}` };
}

/** The after-return work still due, each with its deadline, in one sentence. */
export function followUpsText(due: FollowUp[], timeZone: string): string {
  const each = due.map((f) =>
    f.statutory
      ? `${f.what} by ${formatTime(f.dueBy, timeZone)}, the statutory limit`
      : `${f.what} (reminder ${formatTime(f.dueBy, timeZone)})`,
  );
  return `Due after the return: ${each.join('; ')}.`;
}
