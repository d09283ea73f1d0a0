import type { Protocol } from '../protocol/schema.ts';
import { classifications, riskLevels } from '../protocol/schema.ts';
import type { FormField, FormId, FormSpec } from './forms.ts';
import { label } from './format.ts';
import { zoneLabel } from './form-times.ts';

const text = (name: string, labelText: string, required = true, hint?: string): FormField => ({
  name,
  label: labelText,
  kind: 'text',
  required,
  ...(hint ? { hint } : {}),
});
const long = (name: string, labelText: string, required = true): FormField => ({
  name,
  label: labelText,
  kind: 'textarea',
  required,
});
/**
 * A time field, read in the home's zone and saying so. Only an optional one may be left empty
 * (meaning now); a required one has no hint that it may be.
 */
const timeField =
  (timeZone: string) =>
  (name: string, labelText: string, required = true, whenEmpty = 'Empty means now.'): FormField => ({
    name,
    label: labelText,
    kind: 'datetime',
    required,
    hint: required ? `In ${zoneLabel(timeZone)}.` : `${whenEmpty} In ${zoneLabel(timeZone)}.`,
  });
const choice = (name: string, labelText: string, values: readonly string[], required = true): FormField => ({
  name,
  label: labelText,
  kind: 'select',
  required,
  options: values.map((value) => ({ value, label: label(value) })),
});

const yesNo = (name: string, labelText: string, hint: string): FormField => ({
  name,
  label: labelText,
  kind: 'select',
  required: false,
  hint,
  options: [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
  ],
});

/** The form behind an "open form" button, with its options taken from the home's protocol. */
export function formSpec(id: FormId, protocol: Protocol, timeZone: string): FormSpec {
  const when = timeField(timeZone);
  switch (id) {
    case 'last_seen':
      return {
        id,
        title: 'Last seen',
        submitLabel: 'Record',
        fields: [
          when('at', 'When last seen'),
          text('place', 'Where', false),
          text('by', 'Seen by', false),
          long('clothing', 'Clothing and belongings (bag, phone)', false),
          text('withWhom', 'With whom', false),
        ],
      };
    case 'police_report':
      return {
        id,
        title: 'Report to police',
        submitLabel: 'Record report',
        fields: [
          text('reference', 'Police reference (leave blank if it is to follow)', false),
          text('officer', 'Officer (name and number)', false),
          choice('grade', 'Police risk grade', riskLevels),
          when(
            'reportedAt',
            'Time of the call',
            false,
            'Needed when the reference is to follow; otherwise empty means now.',
          ),
          when('reviewAt', 'Agreed review time', false),
        ],
      };
    case 'notification':
      return {
        id,
        title: 'Notification',
        submitLabel: 'Record',
        fields: [
          {
            name: 'party',
            label: 'Who',
            kind: 'select',
            required: true,
            options: protocol.notificationParties.map((p) => ({ value: p.id, label: p.label })),
          },
          choice('decision', 'Decision', ['notified', 'not_required']),
          text('method', 'How (phone, email, portal)', false),
          long('response', 'Their response', false),
          long('reason', 'If not required: why', false),
          ...(protocol.policeDecidedBy === 'childs_social_worker'
            ? [text('decidedBy', 'Police not required: which social worker decided (name)', false)]
            : []),
          when('at', 'When', false),
        ],
      };
    case 'contact_attempt':
      return {
        id,
        title: 'Contact attempt',
        submitLabel: 'Record',
        fields: [
          text('method', 'How (call, text, social media, visit)'),
          long('outcome', 'Outcome'),
          when('at', 'When', false),
        ],
      };
    case 'search':
      return {
        id,
        title: 'Search',
        submitLabel: 'Record',
        fields: [
          text('who', 'Who searched'),
          text('where', 'Where'),
          long('outcome', 'What was found'),
          when('at', 'When', false),
        ],
      };
    case 'risk':
      return {
        id,
        title: 'Risk assessment',
        submitLabel: 'Record',
        fields: [
          choice('level', 'Risk level', riskLevels),
          {
            name: 'factors',
            label: 'Risk factors present',
            kind: 'multiselect',
            required: false,
            options: protocol.riskFactors.map((f) => ({ value: f.id, label: f.label })),
          },
          long('reason', 'What has changed, and why'),
        ],
      };
    case 'classify':
      return {
        id,
        title: 'Classification',
        submitLabel: 'Record',
        fields: [
          choice('classification', 'Classification (agreed with police)', classifications),
          long('reason', 'Why'),
        ],
      };
    case 'return':
      return {
        id,
        title: 'Child has returned',
        submitLabel: 'Record return',
        fields: [
          when('at', 'Time of return'),
          text('how', 'How (walked in, brought by police, collected)'),
          text('whereFound', 'Where found'),
          long('condition', 'Condition on return'),
          {
            name: 'indicators',
            label: 'Exploitation indicators seen',
            kind: 'multiselect',
            required: false,
            options: protocol.exploitationIndicators.map((i) => ({ value: i.id, label: i.label })),
          },
          long('notes', 'Anything else', false),
        ],
      };
    case 'follow_up':
      return {
        id,
        title: 'After the return',
        submitLabel: 'Record',
        fields: [
          {
            name: 'what',
            label: 'What happened',
            kind: 'select',
            required: true,
            options: [
              { value: 'police_told_of_return', label: 'Police told the child is back' },
              { value: 'safe_and_well', label: 'Police safe and well check done' },
              { value: 'risk_assessment_updated', label: 'Risk assessment updated' },
            ],
          },
          long('note', 'Notes', false),
          when('at', 'When', false),
        ],
      };
    case 'rhi':
      return {
        id,
        title: 'Return home interview',
        submitLabel: 'Record',
        fields: [
          choice('status', 'Status', ['offered', 'accepted', 'declined', 'reoffered', 'held']),
          long('note', 'Notes (who, when booked)', false),
          when('at', 'When', false),
          // Asked for when it was held (the form says so; the engine insists).
          text('interviewer', 'Who held the interview', false, 'If held.'),
          text('organisation', 'Their organisation', false, 'If held: independent of the home.'),
          yesNo('independent', 'Independent of the home', 'If held: not staff of the home or the placement.'),
          yesNo('tookPart', 'The child took part', 'If held.'),
          long('sharedWithSocialWorker', 'What was shared with the social worker', false),
        ],
      };
    case 'not_applicable':
      return {
        id,
        title: 'Not applicable',
        submitLabel: 'Record',
        fields: [long('reason', 'Why this does not apply')],
      };
    case 'closure':
      return {
        id,
        title: 'Close the episode',
        submitLabel: 'Ask a manager',
        fields: [
          long('reason', 'Why it can be closed'),
          {
            name: 'withFollowUps',
            label: 'If follow-ups are still due (return home interview, safe and well check, risk assessment)',
            kind: 'select',
            required: false,
            options: [
              { value: 'no', label: 'Do not close until they are recorded' },
              { value: 'yes', label: 'Close with follow-ups outstanding (their reminders go on)' },
            ],
          },
        ],
      };
  }
}

/** The form behind a bare `/missing`: choose the child and give the last-seen details. */
export function openEpisodeFormSpec(
  aliases: string[],
  timeZone: string,
): Omit<FormSpec, 'id'> & { id: 'open_episode' } {
  const when = timeField(timeZone);
  return {
    id: 'open_episode',
    title: 'A child is missing',
    submitLabel: 'Open the episode',
    fields: [
      {
        name: 'child',
        label: 'Child (alias)',
        kind: 'select',
        required: true,
        options: aliases.map((a) => ({ value: a, label: a })),
      },
      when('lastSeenAt', 'When last seen', false),
      text('lastSeenPlace', 'Where last seen', false),
      text('lastSeenBy', 'Seen by', false),
      long('clothing', 'Clothing and belongings (bag, phone)', false),
      text('withWhom', 'With whom', false),
    ],
  };
}
