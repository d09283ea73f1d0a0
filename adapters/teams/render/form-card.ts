import { MAX_FIELD } from '../../../src/engine/commands/commands.ts';
import type { FormField, FormSpec } from '../../../src/messages/forms.ts';
import { DATE_PART, TIME_PART } from '../../../src/messages/form-times.ts';
import { TaskVerbs } from './card.ts';
import { adaptiveCard, attachment, textBlock, type Element } from './elements.ts';

/** A form as the engine describes it (the bare-`missing` form has its own id). */
export type AnyFormSpec = Omit<FormSpec, 'id'> & { id: string };

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function inputs(field: FormField, prior: Record<string, unknown>): Element[] {
  const label = field.required ? field.label : `${field.label} (optional)`;
  const required = field.required ? { isRequired: true, errorMessage: `Please fill in: ${field.label}` } : {};
  const valueOf = (id: string) => (str(prior[id]) !== undefined ? { value: str(prior[id]) } : {});
  const choices = (field.options ?? []).map((o) => ({ title: o.label, value: o.value }));
  switch (field.kind) {
    case 'text':
    case 'textarea':
      return [
        {
          type: 'Input.Text',
          id: field.name,
          label,
          maxLength: MAX_FIELD,
          ...(field.kind === 'textarea' ? { isMultiline: true } : {}),
          ...(field.hint ? { placeholder: field.hint } : {}),
          ...required,
          ...valueOf(field.name),
        },
      ];
    case 'select':
    case 'multiselect':
      // A choice set with no choices is not a valid card: say so instead.
      if (choices.length === 0) return [textBlock(`${field.label}: none to choose from`, { isSubtle: true })];
      return [
        {
          type: 'Input.ChoiceSet',
          id: field.name,
          label,
          choices,
          ...(field.kind === 'multiselect' ? { isMultiSelect: true, style: 'expanded' } : { style: 'compact' }),
          ...required,
          ...valueOf(field.name),
        },
      ];
    case 'datetime':
      // Adaptive Cards 1.5 has no date-time input: a date (empty means today) and a time.
      return [
        {
          type: 'Input.Date',
          id: `${field.name}${DATE_PART}`,
          label: `${field.label}: date (empty means today)`,
          ...valueOf(`${field.name}${DATE_PART}`),
        },
        {
          type: 'Input.Time',
          id: `${field.name}${TIME_PART}`,
          // The hint names the home's zone, in which the time is read (and, if optional, that empty means now).
          label: `${field.label}: time${field.hint ? ` — ${field.hint}` : ''}`,
          ...required,
          ...valueOf(`${field.name}${TIME_PART}`),
        },
      ];
  }
}

/**
 * A form as a task-module (dialog) card; `value` names the form (and its episode or channel). After a refusal it is shown again with the reason on top
 * and what the person typed still filled in.
 */
export function formTask(
  spec: AnyFormSpec,
  value: string,
  opts: { error?: string; prior?: Record<string, unknown> } = {},
) {
  const prior = opts.prior ?? {};
  const body: Element[] = [
    ...(opts.error ? [textBlock(opts.error, { color: 'Attention', weight: 'Bolder' })] : []),
    ...spec.fields.flatMap((f) => inputs(f, prior)),
  ];
  const save: Element = {
    type: 'Action.Submit',
    title: spec.submitLabel,
    style: 'positive',
    data: { verb: TaskVerbs.submitForm, value },
  };
  const card = adaptiveCard(body, spec.title, [save]);
  return { title: spec.title, width: 'medium' as const, height: 'large' as const, card: attachment(card) };
}
