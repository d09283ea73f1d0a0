import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { exportCommand, helpText, parseCommandText } from '../../src/engine/commands/command-text.ts';
import { commandSchema } from '../../src/engine/commands/commands.ts';
import type { Result } from '../../src/engine/base/context.ts';
import type { Commands } from '../../src/engine/engine.ts';
import type { Queries } from '../../src/engine/queries.ts';
import { formCommand, openEpisodeCommand } from '../../src/engine/commands/form-commands.ts';
import { parseItemValue } from '../../src/messages/cards.ts';
import { formSpec, openEpisodeFormSpec } from '../../src/messages/form-specs.ts';
import { formValue, parseFormValue } from '../../src/messages/forms.ts';
import { ActionIds, type Card } from '../../src/messages/outbound.ts';
import { exportTexts } from '../../src/messages/export-texts.ts';
import { problemSentence } from '../../src/messages/problems.ts';
import { DEFAULT_TIME_ZONE } from '../../src/messages/form-times.ts';
import { describeError, type EngineError } from '../../src/messages/texts.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { StoreUnavailable } from '../../src/ports/held-commands.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { actionIdOf, fallbackText, renderCard } from './blocks.ts';
import { homeTab } from './app-home.ts';
import { sendFilesPrivately } from './files.ts';
import { FORM_CALLBACK, modalView, readValues, type ModalContext } from './modals.ts';
import type { SlackNames } from './names.ts';
import { recordThreadMessage } from './thread-messages.ts';

export interface HandlerDeps {
  engine: Commands;
  queries: Queries;
  clock: Clock;
  logger: Logger;
  /** Slack users' names (see names.ts). */
  names: SlackNames;
  /** Work that outlives a request, waited for when the adapter stops. */
  later: (work: Promise<unknown>) => void;
}

const notice = (title: string, text: string): Card => ({
  title,
  tone: 'info',
  blocks: [{ type: 'text', text }],
  fallback: text,
});
const errorCard = (error: EngineError): Card => ({
  // A delayed entry is not lost, so it is not "not done" either.
  title: error.code === 'recording_delayed' ? 'Recording delayed' : 'Not done',
  tone: 'urgent',
  blocks: [{ type: 'text', text: describeError(error) }],
  fallback: describeError(error),
});
const errorCardText = (text: string): Card => ({
  title: 'Not done',
  tone: 'urgent',
  blocks: [{ type: 'text', text }],
  fallback: text,
});
/** An answer only the person who acted sees. */
const ephemeral = (card: Card) => ({
  response_type: 'ephemeral' as const,
  replace_original: false,
  text: fallbackText(card),
  blocks: renderCard(card)[0] as never,
});
const answer = (result: Result) =>
  result.ok ? (result.reply ? ephemeral(result.reply) : null) : ephemeral(errorCard(result.error));
const actor = (userId: string) => ({ platform: 'slack' as const, userId });
const actionPattern = new RegExp(`^(${Object.values(ActionIds).join('|')}):\\d+$`);
const modalContext = z.object({
  value: z.string(),
  channel: z.string(),
  threadTs: z.string().optional(),
  timeZone: z.string().default(DEFAULT_TIME_ZONE),
});

/** Wires the neutral engine to Slack: the slash command, buttons, modals, thread messages, App Home. */
export function registerHandlers(app: App, deps: HandlerDeps): void {
  const { engine, queries } = deps;

  app.command('/missing', answerFailures(deps.logger), async ({ ack, command, respond, client }) => {
    const intent = parseCommandText(command.text ?? '');
    // A report of a missing child is kept in the inbox before Slack is answered: once Slack shows
    // the command as sent, it is not lost whatever happens next.
    const opening =
      intent.kind === 'open'
        ? await engine.receive({
            type: 'open_episode',
            actor: actor(command.user_id),
            channel: { platform: 'slack', channelRef: command.channel_id },
            child: intent.child,
          })
        : null;
    await ack(); // within Slack's 3 seconds, always; the work follows
    // Applied before anything else can fail (the inbox applies it anyway, but later).
    if (opening) {
      const response = answer(await opening.apply());
      if (response) await respond(response);
      return;
    }
    const channel = command.channel_id;
    const reply = async (card: Card | null) => card && (await respond(ephemeral(card)));
    const { timeZone, protocol } = await queries.formContextOf('slack', command.user_id);
    const openModal = async (spec: Parameters<typeof modalView>[0], value: string) =>
      client.views.open({
        trigger_id: command.trigger_id,
        view: modalView(spec, { value, channel, timeZone }) as never,
      });
    switch (intent.kind) {
      case 'help':
        return void (await reply(notice('How to use /missing', helpText('/missing'))));
      case 'unclear':
        return void (await reply(
          notice(
            'I didn’t understand that',
            `${describeError({ code: 'not_understood', detail: { word: intent.word } })}\n${helpText('/missing')}`,
          ),
        ));
      case 'handover':
        return void (await reply(
          (await queries.handoverSummary('slack', { channelRef: channel })) ?? errorCard({ code: 'unknown_home' }),
        ));
      case 'list':
        return void (await reply(
          (await queries.listEpisodes('slack', channel)) ?? errorCard({ code: 'unknown_home' }),
        ));
      case 'status':
        return void (await respond(answer(await queries.episodeStatus('slack', channel, intent.child))!));
      case 'choose': {
        const view = await queries.homeView('slack', channel);
        if (!view) return void (await reply(errorCard({ code: 'unknown_home' })));
        return void (await openModal(openEpisodeFormSpec(view.children, view.timeZone), 'open_episode'));
      }
      case 'returned': {
        const status = await queries.episodeStatus('slack', channel, intent.child);
        if (!status.ok || !status.episodeId)
          return void (await respond(
            answer(status) ??
              ephemeral(
                notice('No open episode', describeError({ code: 'no_open_episode', detail: { child: intent.child } })),
              ),
          ));
        return void (await openModal(formSpec('return', protocol, timeZone), formValue('return', status.episodeId)));
      }
      case 'export':
      case 'pack':
      case 'patterns':
      case 'returns': {
        const result = await engine.execute(exportCommand(intent, actor(command.user_id), 'attachment'));
        if (!result.ok || !result.reply || !result.files?.length) return void (await respond(answer(result)!));
        try {
          await sendFilesPrivately(client, command.user_id, result.reply, result.files);
          return void (await reply(notice('Sent to you privately', exportTexts.sentByDirectMessage)));
        } catch (error) {
          const reason = (error as { data?: { error?: string } }).data?.error ?? 'Slack refused the upload';
          deps.logger.warn({ reason, files: result.files.length }, 'slack: export files not delivered');
          return void (await reply(errorCardText(exportTexts.notDelivered(reason))));
        }
      }
      case 'open':
        return; // applied above
    }
  });

  app.action<BlockAction<ButtonAction>>(actionPattern, async ({ ack, action, body, client, respond }) => {
    const id = actionIdOf(action.action_id);
    const who = actor(body.user.id);
    const report = async (result: Result) => {
      const response = answer(result);
      if (response) await (respond as RespondFn)(response);
    };
    // A press that changes the record (a tick, an approval, a handover accepted) is kept in the
    // inbox before Slack is answered.
    const pressed = buttonCommand(id, action.value ?? '', who);
    const receipt = pressed ? await engine.receive(pressed) : null;
    await ack();
    if (receipt) return report(await receipt.apply());
    if (id === ActionIds.tickItem) return report({ ok: false, error: { code: 'unknown_item' } });
    if (id === ActionIds.openForm || id === ActionIds.notApplicable) {
      const form = parseFormValue(action.value ?? '');
      if (!form)
        return report({
          ok: false,
          error: { code: 'unknown_form' },
        });
      const { timeZone, protocol } = await queries.formContextOf('slack', body.user.id);
      const context: ModalContext = {
        value: action.value ?? '',
        channel: body.channel?.id ?? '',
        timeZone,
        ...(body.message?.thread_ts || body.message?.ts ? { threadTs: body.message.thread_ts ?? body.message.ts } : {}),
      };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: modalView(formSpec(form.form, protocol, timeZone), context) as never,
      });
    }
  });

  app.view(FORM_CALLBACK, async ({ ack, view, body, client }) => {
    const context = modalContext.safeParse(safeJson(view.private_metadata));
    const state = (view.state as { values?: unknown } | undefined)?.values;
    if (!context.success) {
      // Not a form this bot opened (or one from before an upgrade): say so on its first field.
      const [first] = typeof state === 'object' && state ? Object.keys(state) : [];
      return void (await ack({
        response_action: 'errors',
        errors: first ? { [first]: describeError({ code: 'form_expired' }) } : {},
      }));
    }
    const values = readValues(state, context.data.timeZone, deps.clock.now());
    const who = actor(body.user.id);
    const { value, channel, threadTs } = context.data;
    const form = parseFormValue(value);
    const command =
      value === 'open_episode'
        ? openEpisodeCommand(values, who, { platform: 'slack', channelRef: channel })
        : form
          ? formCommand(form.form, form.episodeId, form.extra, values, who)
          : null;
    const checked = command ? commandSchema.safeParse(command) : null;
    // Wrong or missing fields are answered in the form itself, so nothing typed is lost.
    if (!checked?.success)
      return void (await ack({
        response_action: 'errors',
        errors: fieldErrors(checked?.error, typeof state === 'object' && state ? Object.keys(state) : []),
      }));
    // Kept in the inbox before Slack is answered and the modal closes.
    const receipt = await engine.receive(command);
    await ack();
    const result = await receipt.apply();
    const card = result.ok ? result.reply : errorCard(result.error);
    if (!card) return;
    // A refusal after the form closed: say why, and give back what was typed so nothing is lost.
    const typed = result.ok
      ? ''
      : `\nWhat you entered: ${Object.entries(values)
          .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
          .join('; ')}`;
    const text = `${fallbackText(card)}${typed}`;
    await client.chat.postEphemeral({
      channel,
      user: body.user.id,
      text,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  });

  // Thread messages: over HTTP they are recorded before Slack is answered (see index.ts); in
  // Socket Mode, here.
  app.event('message', async ({ event, body, client }: { event: unknown; body: unknown } & AllMiddlewareArgs) => {
    await recordThreadMessage(deps, client, event, (body as { event_id?: string }).event_id);
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const view = await queries.homeViewForUser('slack', event.user);
    await client.views.publish({ user_id: event.user, view: homeTab(view, deps.clock.now()) as never });
  });
}

/** The command a button press stands for, when it changes the record; null for one that opens a form. */
function buttonCommand(id: string, value: string, who: ReturnType<typeof actor>): Record<string, unknown> | null {
  if (id === ActionIds.tickItem) {
    const item = parseItemValue(value);
    return item ? { type: 'tick_item', actor: who, ...item } : null;
  }
  if (id === ActionIds.acceptHandover) return { type: 'accept_handover', actor: who, handoverId: value };
  if (id === ActionIds.approve || id === ActionIds.decline)
    return {
      type: 'decide_approval',
      actor: who,
      approvalId: value,
      decision: id === ActionIds.approve ? 'approve' : 'decline',
    };
  return null;
}

/** Listener middleware: a slash command that fails after its ack still gets a kind, private answer. */
function answerFailures(logger: Logger) {
  return async ({ respond, next }: { respond: RespondFn; next: () => Promise<void> }) => {
    try {
      await next();
    } catch (error) {
      const correlationId = randomUUID().slice(0, 8);
      logger.error(
        { correlationId, err: error instanceof Error ? error.message : String(error) },
        'slack: /missing failed',
      );
      const reason: EngineError =
        error instanceof StoreUnavailable
          ? { code: 'store_unavailable' }
          : { code: 'internal_error', detail: { correlationId } };
      await respond(ephemeral(errorCard(reason))).catch(() => undefined);
    }
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Zod problems as Slack's per-block errors (block ids are the form's field names). */
function fieldErrors(error: z.ZodError | undefined, fields: string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error?.issues ?? []) {
    const [first, second] = issue.path.map(String);
    const guess =
      // A time is two blocks (date and time pickers): its problem goes under the time.
      [first, `${first ?? ''}${second ? second[0]!.toUpperCase() + second.slice(1) : ''}`, `${first ?? ''}__time`].find(
        (f) => f && fields.includes(f),
      ) ?? fields[0];
    if (guess && !errors[guess]) errors[guess] = problemSentence(issue);
  }
  return errors;
}
