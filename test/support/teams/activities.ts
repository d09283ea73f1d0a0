import { APP_ID, SERVICE_URL, TENANT } from './bot-framework.ts';

/** The home's channel and team in the test configuration. */
export const CHANNEL = '19:3a9c1f0e5d7b4e2a8c6f1d0b9e7a5c3d@thread.tacv2';
export const TEAM = '19:8e2d4c6a0b1f3e5d7c9a1b3d5f7e9a0c@thread.tacv2';
export const BOT = { id: `28:${APP_ID}`, name: 'Missing bot' };

/** People as Teams describes them: a 29: id, a display name and the Entra object id. */
export const people = {
  sam: { id: '29:1sam-teams-id', name: 'Sam Okafor', aadObjectId: '0c7e3b9a-5f21-4d8e-a6b4-2f9d1c3e5a71' },
  jo: { id: '29:1jo-teams-id', name: 'Jo Reid', aadObjectId: '9d4a2e6c-1b83-4f57-b0c9-7e5a3d1f2c68' },
  visitor: {
    id: '29:1visitor-id',
    name: 'Morgan (LA social worker)',
    aadObjectId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
  },
};
export type Person = (typeof people)[keyof typeof people];

/** The home configuration the Teams tests run on. */
export const homesYaml = `
homes:
  - id: oak-house
    name: Oak House
    timeZone: Europe/London
    shiftChanges: ['07:30', '22:00']
    channels:
      teams: '${CHANNEL}'
    onCall: [sam]
    policy:
      reportAfterMinutes: 30
      approverRoles: [manager, deputy_manager]
    staff:
      - { id: sam, name: Sam Okafor, role: manager, teams: '${people.sam.aadObjectId}' }
      - { id: jo, name: Jo Reid, role: support_worker, teams: '${people.jo.aadObjectId}' }
    children:
      - id: child-aj
        alias: AJ
        name: Test Child
        dateOfBirth: '2010-05-14'
        plan:
          reportAfterMinutes: 30
          riskFactors: [out-of-pattern]
`;

const channelData = () => ({
  teamsChannelId: CHANNEL,
  teamsTeamId: TEAM,
  channel: { id: CHANNEL },
  team: { id: TEAM },
  tenant: { id: TENANT },
});

/** A reply chain's conversation id. */
export const thread = (rootId: string) => `${CHANNEL};messageid=${rootId}`;

/** A message in the home's channel, as Teams posts it to the bot (new post or reply in a chain). */
export function channelMessage(opts: { id: string; text: string; from?: Person; root?: string; mentionBot?: boolean }) {
  const from = opts.from ?? people.jo;
  const mention = `<at>${BOT.name}</at>`;
  const text = opts.mentionBot ? `${mention} ${opts.text}` : opts.text;
  return {
    type: 'message',
    id: opts.id,
    timestamp: '2026-11-20T22:10:05.123Z',
    localTimestamp: '2026-11-20T22:10:05.123+00:00',
    localTimezone: 'Europe/London',
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from,
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: thread(opts.root ?? opts.id) },
    recipient: BOT,
    textFormat: 'plain',
    text,
    attachments: [{ contentType: 'text/html', content: `<p>${text}</p>` }],
    entities: [
      ...(opts.mentionBot ? [{ type: 'mention', text: mention, mentioned: BOT }] : []),
      { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' },
    ],
    channelData: channelData(),
    locale: 'en-GB',
  };
}

/** A message in a person's one-to-one chat with the bot. */
export function personalMessage(opts: { id: string; text: string; from?: Person }) {
  const from = opts.from ?? people.jo;
  return {
    type: 'message',
    id: opts.id,
    timestamp: '2026-11-20T22:10:05.123Z',
    localTimezone: 'Europe/London',
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from,
    conversation: { conversationType: 'personal', tenantId: TENANT, id: `a:1personal-${from.aadObjectId}` },
    recipient: BOT,
    textFormat: 'plain',
    text: opts.text,
    channelData: { tenant: { id: TENANT } },
    locale: 'en-GB',
  };
}

/** A press of an Action.Execute button on a card the bot posted in a reply chain. */
export function actionExecute(opts: {
  id: string;
  verb: string;
  data: unknown;
  root: string;
  card: string;
  from?: Person;
}) {
  return {
    ...channelMessage({ id: opts.id, text: '', from: opts.from, root: opts.root }),
    type: 'invoke',
    name: 'adaptiveCard/action',
    text: undefined,
    attachments: undefined,
    replyToId: opts.card,
    value: { action: { type: 'Action.Execute', verb: opts.verb, data: opts.data }, trigger: 'manual' },
  };
}

/** The dialog asked for (`task/fetch`) or submitted (`task/submit`) from a card in a reply chain. */
export function taskModule(opts: {
  id: string;
  name: 'task/fetch' | 'task/submit';
  data: unknown;
  root: string;
  from?: Person;
}) {
  return {
    ...channelMessage({ id: opts.id, text: '', from: opts.from, root: opts.root }),
    type: 'invoke',
    name: opts.name,
    text: undefined,
    attachments: undefined,
    value: { data: opts.data, context: { theme: 'default' } },
  };
}

/** An edit or a deletion of a message in a reply chain, as Teams reports them. */
export function messageChange(opts: {
  id: string;
  root: string;
  kind: 'edit' | 'delete';
  text?: string;
  from?: Person;
}) {
  const base = channelMessage({ id: opts.id, text: opts.text ?? '', from: opts.from, root: opts.root });
  return opts.kind === 'edit'
    ? {
        ...base,
        type: 'messageUpdate',
        timestamp: '2026-11-20T22:14:00.000Z',
        channelData: { ...base.channelData, eventType: 'editMessage' },
      }
    : {
        ...base,
        type: 'messageDelete',
        text: undefined,
        attachments: undefined,
        timestamp: '2026-11-20T22:15:00.000Z',
        channelData: { ...base.channelData, eventType: 'softDeleteMessage' },
      };
}

/** A press of an Action.Execute button on a card the bot sent to someone's personal chat. */
export function personalActionExecute(opts: { id: string; verb: string; data: unknown; card: string; from: Person }) {
  return {
    ...personalMessage({ id: opts.id, text: '', from: opts.from }),
    type: 'invoke',
    name: 'adaptiveCard/action',
    text: undefined,
    replyToId: opts.card,
    value: { action: { type: 'Action.Execute', verb: opts.verb, data: opts.data }, trigger: 'manual' },
  };
}
