/**
 * What is wrong with something a person typed, in plain words. Validation libraries describe
 * problems for developers ("Invalid option: expected one of …"); this turns each into what a
 * member of staff can act on, named by the field's label as the form shows it.
 */

/** The parts of a validation issue this needs (zod's issues have these). */
export interface Issue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  /** For too long / too many. */
  maximum?: number | bigint;
  /** The value as given, when the library keeps it. */
  input?: unknown;
}

/** Every form field and command field people can get wrong, by name, as the forms label them. */
const labels: Record<string, string> = {
  at: 'When',
  place: 'Where',
  by: 'Seen by',
  clothing: 'Clothing and belongings',
  withWhom: 'With whom',
  reference: 'Police reference',
  officer: 'Officer',
  grade: 'Police risk grade',
  reportedAt: 'Time of the call',
  reviewAt: 'Agreed review time',
  party: 'Who',
  decision: 'Decision',
  method: 'How',
  response: 'Their response',
  reason: 'Reason',
  outcome: 'Outcome',
  who: 'Who searched',
  where: 'Where',
  level: 'Risk level',
  factors: 'Risk factors',
  classification: 'Classification',
  how: 'How they came back',
  whereFound: 'Where found',
  condition: 'Condition on return',
  indicators: 'Exploitation indicators',
  notes: 'Anything else',
  what: 'What happened',
  note: 'Notes',
  status: 'Status',
  child: 'Child',
  lastSeen: 'Last seen',
  withFollowUps: 'Follow-ups',
  text: 'Message',
  interviewer: 'Who held the interview',
  organisation: 'Their organisation',
  independent: 'Independent of the home',
  tookPart: 'The child took part',
  sharedWithSocialWorker: 'What was shared with the social worker',
};

/** The label of the field an issue is about ("Police reference"), or null when it is about the whole. */
export function fieldLabel(path: readonly PropertyKey[]): string | null {
  const names = path.filter((p): p is string => typeof p === 'string');
  // Nested fields (lastSeen.at) are named by their own part first: "When" reads oddly alone.
  if (names[0] === 'lastSeen') return names[1] === 'at' ? 'When last seen' : (labels[names[1] ?? ''] ?? 'Last seen');
  const name = names[0];
  return name ? (labels[name] ?? null) : null;
}

/** A return home interview recorded as held must say who held it and what came of it. */
export const RHI_DETAIL_NEEDED = 'please fill this in for an interview that was held';
/** The interview must be by someone independent of the placement (statutory guidance, 2014). */
export const RHI_NOT_INDEPENDENT =
  'it must be someone independent of the home, so record this talk as a note and offer one';

/** An interview the child did not take part in was not held (Annex A counts held as accepted). */
export const RHI_CHILD_ABSENT = 'if the child did not take part, record the interview as declined and offer it again';

/** A police report without its reference must say when the call was made. */
export const CALL_TIME_NEEDED = 'please say when the police were called, the reference can follow';

/** What is wrong, without the field's name: "please fill this in". */
export function problemText(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (/expected date/i.test(issue.message) && !/received (undefined|null)/.test(issue.message))
        return 'this is not a time I can read';
      // Nothing given at all is by far the usual case (zod keeps the input only when asked to).
      return ('input' in issue && issue.input !== undefined && issue.input !== null) ||
        /received (?!undefined|null)/.test(issue.message)
        ? 'this is not something I can read here'
        : 'please fill this in';
    case 'invalid_value':
    case 'invalid_enum_value':
    case 'invalid_union':
    case 'invalid_union_discriminator':
      return 'please choose one of the options';
    case 'too_big':
      return issue.maximum !== undefined
        ? `this is too long (the most is ${Number(issue.maximum).toLocaleString('en-GB')} characters)`
        : 'this is too long';
    case 'too_small':
      return 'please fill this in';
    case 'invalid_date':
      return 'this is not a time I can read';
    default:
      // Our own checks (refinements) already speak plainly; anything else gets a safe sentence.
      return /^[a-z][a-z ,’']+$/i.test(issue.message) && issue.message.length < 120
        ? issue.message
        : 'this does not look right';
  }
}

/** Each problem as "Police reference: please fill this in", at most `limit` of them. */
export function describeProblems(issues: readonly Issue[], limit = 5): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const issue of issues) {
    const what = fieldLabel(issue.path);
    const line = what ? `${what}: ${problemText(issue)}` : problemText(issue);
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(line);
    if (out.length >= limit) break;
  }
  return out;
}

/** A problem as a sentence on its own, for the field it is shown under: "Please fill this in." */
export const problemSentence = (issue: Issue) => {
  const text = problemText(issue);
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
};
