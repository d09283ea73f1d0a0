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

type StateValue = {
  type: string;
  value?: string | null;
  selected_date_time?: number | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
};

/** Reads a submitted modal's values back into the neutral form's shape. */
export function readValues(state: Record<string, Record<string, StateValue>>): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [field, actions] of Object.entries(state)) {
    const v = actions.value;
    if (!v) continue;
    if (v.type === 'datetimepicker')
      values[field] = v.selected_date_time ? new Date(v.selected_date_time * 1000).toISOString() : '';
    else if (v.type === 'static_select') values[field] = v.selected_option?.value ?? '';
    else if (v.type === 'checkboxes' || v.type === 'multi_static_select')
      values[field] = (v.selected_options ?? []).map((o) => o.value);
    else values[field] = v.value ?? '';
  }
  return values;
}
