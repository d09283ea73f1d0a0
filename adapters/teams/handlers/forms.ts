import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { formCommand, openEpisodeCommand } from '../../../src/engine/commands/form-commands.ts';
import { formSpec, openEpisodeFormSpec } from '../../../src/messages/form-specs.ts';
import { parseFormValue } from '../../../src/messages/forms.ts';
import { describeError } from '../../../src/messages/texts.ts';
import { activityKey, actorOf } from '../activity/activity.ts';
import { parseOpenEpisodeValue } from '../activity/form-state.ts';
import { submittedValues } from '../activity/form-values.ts';
import { TaskVerbs } from '../render/card.ts';
import { formTask, type AnyFormSpec } from '../render/form-card.ts';
import type { HandlerDeps } from './deps.ts';
import type { FormContext } from '../../../src/engine/queries.ts';

const GONE = 'That form is not available any more. Please use the latest card in the thread.';

type Data = Record<string, unknown>;
const valueOf = (data: Data) => (typeof data.value === 'string' ? data.value.slice(0, 1_000) : '');

/**
 * The forms behind "open form" buttons, as Teams dialogs (task modules): `task/fetch` answers
 * with the form, `task/submit` turns it into an engine command through the shared helpers.
 */
export function registerForms(app: Application<TurnState>, deps: HandlerDeps): void {
  const { engine, queries } = deps;

  /** The form a button's value names, or null if it names none (or its home is gone). */
  async function specFor(value: string, { timeZone, protocol }: FormContext): Promise<AnyFormSpec | null> {
    const channelRef = parseOpenEpisodeValue(value);
    if (channelRef) {
      const view = await queries.homeView('teams', channelRef);
      return view ? openEpisodeFormSpec(view.children, view.timeZone) : null;
    }
    const form = parseFormValue(value);
    return form ? formSpec(form.form, protocol, timeZone) : null;
  }

  /**
   * Typed times mean the home's zone, the one every form names, wherever the person's device is;
   * the options are the home's procedure's.
   */
  const contextFor = async (ctx: TurnContext) => queries.formContextOf('teams', actorOf(ctx.activity).userId);

  app.taskModules.fetch<Data>(TaskVerbs.openForm, async (ctx, _state, data) => {
    const value = valueOf(data);
    const spec = await specFor(value, await contextFor(ctx));
    return spec ? formTask(spec, value) : GONE;
  });

  app.taskModules.submit<Data>(TaskVerbs.submitForm, async (ctx, _state, data) => {
    const value = valueOf(data);
    const context = await contextFor(ctx);
    const spec = await specFor(value, context);
    if (!spec) return GONE;
    const actor = actorOf(ctx.activity);
    const values = submittedValues(spec.fields, data, context.timeZone, deps.clock.now());
    const channelRef = parseOpenEpisodeValue(value);
    const form = parseFormValue(value);
    const command = channelRef
      ? openEpisodeCommand(values, actor, { platform: 'teams', channelRef })
      : formCommand(form!.form, form!.episodeId, form!.extra, values, actor);
    const result = await engine.execute({ ...command, eventId: activityKey('form', ctx.activity) });
    deps.kick();
    // Recorded: close the dialog, saying what happened if the engine has words for it.
    if (result.ok) return result.reply && !result.duplicate ? result.reply.fallback : undefined;
    // Refused: the same form again, the reason on top, what was typed still there.
    return formTask(spec, value, { error: describeError(result.error), prior: data });
  });
}
