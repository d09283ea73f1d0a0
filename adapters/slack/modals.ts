import { z } from 'zod';
import type { FormField, FormSpec } from '../../src/messages/forms.ts';
import { DATE_PART, TIME_PART, wallClockInstant } from '../../src/messages/form-times.ts';
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
  /** The home's zone, in which the form's times are picked and read. */
  timeZone: string;
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
      throw new Error('a date-time field is two inputs: see inputBlocks');
    case 'select':
      return { type: 'static_select', action_id: 'value', options };
    case 'multiselect':
      // Checkboxes allow only 10 options; there are 12 risk factors.
      return { type: 'multi_static_select', action_id: 'value', options };
  }
}

/**
 * A field's input blocks, named after the field. A time is two: a date (empty means today) and
 * a time picked in the home's zone (Slack's date-time picker would use each person's own zone).
 */
function inputBlocks(field: FormField, timeZone: string): Block[] {
  const block = (blockId: string, label: string, optional: boolean, element: Block, hint?: string): Block => ({
    type: 'input',
    block_id: blockId,
    optional,
    label: plain(label, 2_000),
    element,
    ...(hint ? { hint: plain(hint, 2_000) } : {}),
  });
  if (field.kind !== 'datetime') return [block(field.name, field.label, !field.required, element(field), field.hint)];
  return [
    block(
      `${field.name}${DATE_PART}`,
      `${field.label}: date`,
      true,
      { type: 'datepicker', action_id: 'value' },
      'Empty means today.',
    ),
    block(
      `${field.name}${TIME_PART}`,
      `${field.label}: time`,
      !field.required,
      { type: 'timepicker', action_id: 'value', timezone: timeZone },
      field.hint,
    ),
  ];
}

/** A neutral form as a Slack modal; each field is an input block (or two) named after the field. */
export function modalView(spec: Pick<FormSpec, 'title' | 'submitLabel' | 'fields'>, context: ModalContext): Block {
  const blocks = spec.fields.flatMap((field) => inputBlocks(field, context.timeZone)).slice(0, LIMITS.blocks);
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
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
});
const state = z.record(z.string(), z.record(z.string(), z.unknown()));

/**
 * Reads a submitted modal's values back into the neutral form's shape (fields it cannot read
 * count as empty); a time's date and time parts become one instant, read in the home's zone.
 */
export function readValues(raw: unknown, timeZone: string, now: Date): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  const fields = state.safeParse(raw);
  for (const [field, actions] of Object.entries(fields.success ? fields.data : {})) {
    const parsed = stateValue.safeParse(actions.value);
    if (!parsed.success) continue;
    const v = parsed.data;
    if (v.type === 'datepicker') values[field] = v.selected_date ?? '';
    else if (v.type === 'timepicker') values[field] = v.selected_time ?? '';
    else if (v.type === 'static_select') values[field] = v.selected_option?.value ?? '';
    else if (v.type === 'checkboxes' || v.type === 'multi_static_select')
      values[field] = (v.selected_options ?? []).map((o) => o.value);
    else values[field] = v.value ?? '';
  }
  for (const key of Object.keys(values)) {
    if (!key.endsWith(TIME_PART)) continue;
    const name = key.slice(0, -TIME_PART.length);
    const date = values[`${name}${DATE_PART}`];
    const time = values[key];
    values[name] = wallClockInstant(
      typeof date === 'string' ? date : '',
      typeof time === 'string' ? time : '',
      timeZone,
      now,
    );
    delete values[key];
    delete values[`${name}${DATE_PART}`];
  }
  return values;
}
