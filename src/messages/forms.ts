/** Platform-neutral forms (Slack modals, Teams task modules, web dialogs) for structured facts. */

export type FieldKind = 'text' | 'textarea' | 'datetime' | 'select' | 'multiselect';

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  options?: { value: string; label: string }[];
  hint?: string;
}

export interface FormSpec {
  id: FormId;
  title: string;
  submitLabel: string;
  fields: FormField[];
}

export const formIds = [
  'last_seen',
  'police_report',
  'notification',
  'contact_attempt',
  'search',
  'risk',
  'classify',
  'return',
  'follow_up',
  'rhi',
  'not_applicable',
  'closure',
] as const;
export type FormId = (typeof formIds)[number];

/** The value an "open form" button carries: which form, for which episode (and item). */
export const formValue = (form: FormId, episodeId: string, extra?: string) => [form, episodeId, extra ?? ''].join('|');
export function parseFormValue(value: string): { form: FormId; episodeId: string; extra: string } | null {
  const [form, episodeId, extra = ''] = value.split('|');
  if (!form || !episodeId || !(formIds as readonly string[]).includes(form)) return null;
  return { form: form as FormId, episodeId, extra };
}
