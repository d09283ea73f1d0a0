import { z } from 'zod';
import type { FormField, FormSpec } from '../../src/messages/forms.ts';
import { LIMITS, type Block } from './blocks.ts';

/** The one callback id of every form modal; what the form is lives in private_metadata. */
export const FORM_CALLBACK = 'missing_form';

/** What a modal remembers between opening and submission. */
export interface ModalContext {
  /** The form value (`form|episode|extra`), or `open_episode`. */
  value: string;
  /** Where the form was opened from, to answer there if the engine refuses the submission. */
  channel: string;
  threadTs?: string;
}

const plain = (text: string, max = 75) => ({
  type: 'plain_text',
  text: text.length > max ? `${text.slice(0, max - 1)}…` : text,
  emoji: true,
});

function element(field: FormField): Block {
  const options = (field.options ?? []).slice(0, 100).map((o) => ({ text: plain(o.label, 75), value: o.value }));
  switch (field.kind) {
    case 'text':
      return { type: 'plain_text_input', action_id: 'value', max_length: 2_000 };
    case 'textarea':
      return { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2_000 };
    case 'datetime':
      return { type: 'datetimepicker', action_id: 'value' };
    case 'select':
      return { type: 'static_select', action_id: 'value', options };
    case 'multiselect':
      // Checkboxes allow only 10 options; there are 12 risk factors.
      return { type: 'multi_static_select', action_id: 'value', options };
  }
}

/** A neutral form as a Slack modal; each field is an input block named after the field. */
export function modalView(spec: Pick<FormSpec, 'title' | 'submitLabel' | 'fields'>, context: ModalContext): Block {
  const blocks = spec.fields.slice(0, LIMITS.blocks).map((field) => ({
    type: 'input',
    block_id: field.name,
    optional: !field.required,
    label: plain(field.label, 2_000),
    element: element(field),
    ...(field.hint ? { hint: plain(field.hint, 2_000) } : {}),
  }));
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    private_metadata: JSON.stringify(context),
    title: plain(spec.title, 24),
    submit: plain(spec.submitLabel, 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** One input's state as Slack sends it; anything else is treated as not filled in. */
const stateValue = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_date_time: z.number().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
});
const state = z.record(z.string(), z.record(z.string(), z.unknown()));

/** A datetimepicker's seconds as ISO time; '' for none or a value no date can hold. */
function isoTime(seconds: number | null | undefined): string {
  const ms = (seconds ?? NaN) * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 && seconds ? new Date(ms).toISOString() : '';
}

/** Reads a submitted modal's values back into the neutral form's shape (fields it cannot read count as empty). */
export function readValues(raw: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  const fields = state.safeParse(raw);
  for (const [field, actions] of Object.entries(fields.success ? fields.data : {})) {
    const parsed = stateValue.safeParse(actions.value);
    if (!parsed.success) continue;
    const v = parsed.data;
    if (v.type === 'datetimepicker') values[field] = isoTime(v.selected_date_time);
    else if (v.type === 'static_select') values[field] = v.selected_option?.value ?? '';
    else if (v.type === 'checkboxes' || v.type === 'multi_static_select')
      values[field] = (v.selected_options ?? []).map((o) => o.value);
    else values[field] = v.value ?? '';
  }
  return values;
}
