/** The words a person reads when something cannot be done, chosen here and nowhere else. */

export type ErrorCode =
  | 'unknown_home'
  | 'unknown_staff'
  | 'unknown_child'
  | 'no_child_given'
  | 'unknown_episode'
  | 'episode_closed'
  | 'unknown_item'
  | 'reason_required'
  | 'police_needed_high_risk'
  | 'police_already_reported'
  | 'social_worker_not_told'
  | 'decider_required'
  | 'item_cannot_be_na'
  | 'text_empty'
  | 'text_too_long'
  | 'invalid_input'
  | 'not_an_approver'
  | 'approval_not_found'
  | 'approval_already_decided'
  | 'approval_outdated'
  | 'not_returned'
  | 'already_returned'
  | 'closure_incomplete'
  | 'follow_ups_outstanding'
  | 'no_change'
  | 'unknown_party'
  | 'recording_delayed'
  | 'store_unavailable'
  | 'handover_not_found'
  | 'handover_already_accepted'
  | 'not_allowed_to_export'
  | 'patterns_not_allowed'
  | 'nothing_to_export'
  | 'returns_incomplete'
  | 'export_private_only'
  | 'form_expired'
  | 'not_understood'
  | 'no_open_episode'
  | 'unknown_form'
  | 'unknown_action'
  | 'thread_not_ready'
  | 'too_large'
  | 'unreadable_request'
  | 'internal_error';

export interface EngineError {
  code: ErrorCode;
  /** Details for the words (names, lists); never a child's personal data. */
  detail?: Record<string, string | number | string[]>;
}

const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v ?? ''));

/** Turns an engine error into a clear, kind sentence. */
export function describeError(error: EngineError): string {
  const d = error.detail ?? {};
  switch (error.code) {
    case 'unknown_home':
      return 'This channel is not linked to a home yet. Ask your administrator to add it to the home configuration.';
    case 'unknown_staff':
      return 'I don’t recognise you as staff of this home, so I can’t record this under your name. Ask your manager to add you to the staff list — and if a child is missing, phone the police and your manager now.';
    case 'unknown_child':
      return `I can’t find a child called “${d.alias}” in this home.${d.known ? ` Children here: ${list(d.known)}.` : ''} Use the alias (initials) from the child’s plan.`;
    case 'no_child_given':
      return 'Tell me which child: for example `/missing AJ`.';
    case 'unknown_episode':
      return 'I can’t find that episode. It may have been closed; try `/missing list`.';
    case 'episode_closed':
      return 'That episode is closed, so it can no longer be changed. The record is kept in full.';
    case 'unknown_item':
      return 'That checklist item is not part of this protocol.';
    case 'reason_required':
      return 'Please give a reason — the record needs to say why.';
    case 'police_already_reported':
      return 'The police have already been told about this episode, so it can’t be recorded as not required. Add anything new with “Report to police”.';
    case 'social_worker_not_told':
      return 'Only the child’s social worker decides whether the police are told: record that you have told them (or the emergency duty team) first, then their decision.';
    case 'decider_required':
      return 'Please give the name of the social worker who decided the police need not be told — the record needs to say who decided.';
    case 'police_needed_high_risk':
      return 'This child is assessed as high risk, so the police must be told now: call 999, then record the report. Nothing was recorded as “not required”.';
    case 'item_cannot_be_na':
      return `“${d.label}” can’t be marked not applicable: it has to be done.`;
    case 'text_empty':
      return 'There was nothing to record — please type something.';
    case 'text_too_long':
      return `That is too long to record (${Number(d.length).toLocaleString('en-GB')} characters; the most is ${Number(d.max).toLocaleString('en-GB')}). Nothing has been recorded yet: please split it into shorter messages, or attach it as a file.`;
    case 'invalid_input':
      return `Some details don’t look right: ${Array.isArray(d.problems) ? d.problems.join('; ') : String(d.problems ?? '')}. Nothing has been recorded yet; please check and try again.`;
    case 'not_an_approver':
      return `Only a ${Array.isArray(d.roles) ? d.roles.join(' or ') : String(d.roles)} can approve this. Your attempt has been noted in the record; please ask a manager.`;
    case 'approval_not_found':
      return 'I can’t find that approval request.';
    case 'approval_already_decided':
      return `This was already ${d.status} by ${d.by}.`;
    case 'approval_outdated':
      return 'This can’t be approved any more: things have changed since it was asked for (for example the risk was raised). Nothing has been changed — if it is still right, ask again.';
    case 'not_returned':
      return 'The child has not been recorded as returned yet. Record the return first.';
    case 'already_returned':
      return 'The child is already recorded as returned.';
    case 'closure_incomplete':
      return `The episode can’t be closed yet — still needed: ${list(d.missing)}.`;
    case 'follow_ups_outstanding':
      return `These follow-ups are still due: ${list(d.missing)}. To close anyway, choose “Close with follow-ups outstanding” and say why; their reminders go on after closing until each is recorded.`;
    case 'no_change':
      return 'Nothing changed: that is already the current value.';
    case 'unknown_party':
      return `I don’t know who “${d.party}” is. Choose one of: ${list(d.known)}.`;
    case 'handover_not_found':
      return 'I can’t find that handover.';
    case 'handover_already_accepted':
      return `This handover was already accepted by ${d.by}.`;
    case 'not_allowed_to_export':
      return `Only a ${list(d.roles).replace(/, /g, ' or ')} can export ${d.what ?? 'this'}. Your request has been noted in the record.`;
    case 'patterns_not_allowed':
      return `Only a ${list(d.roles).replace(/, /g, ' or ')} can see the patterns across episodes.`;
    case 'nothing_to_export':
      return `There is nothing to export for “${d.target}”: ${d.open === 'yes' ? 'there is no open episode' : 'no episode has been recorded'}.`;
    case 'returns_incomplete': {
      const needs = [
        ...(Array.isArray(d.noAuthorityId) && d.noAuthorityId.length
          ? [`the local authority’s child identifier (\`authorityChildId\`) for ${list(d.noAuthorityId)}`]
          : []),
        ...(Array.isArray(d.noDateOfBirth) && d.noDateOfBirth.length
          ? [`a date of birth for ${list(d.noDateOfBirth)}`]
          : []),
      ];
      return `The returns can’t be made yet, so nothing was exported: the return needs ${needs.join(', and ')}. Add ${needs.length > 1 ? 'them' : 'it'} to the children in the home configuration, then ask again.`;
    }
    case 'export_private_only':
      return 'For privacy I hand files over only in a personal chat with me. Open a chat with me and type the same command there.';
    case 'not_understood':
      return `I didn’t understand “${d.word}”.`;
    case 'no_open_episode':
      return `${d.child} has no open episode.`;
    case 'unknown_form':
      return 'That form is not one I know, so nothing has been recorded. Please use the buttons in the episode’s thread.';
    case 'unknown_action':
      return 'That button does nothing here, so nothing has been recorded.';
    case 'thread_not_ready':
      return 'This thread is still being set up, so nothing has been recorded yet. Please try again in a moment.';
    case 'too_large':
      return 'That is too large to send in one go, so nothing has been recorded. Please split it up, or attach it as a file.';
    case 'unreadable_request':
      return 'The page sent something I could not read, so nothing has been recorded. Please reload it and try again.';
    case 'form_expired':
      return 'This form has expired or did not come from me, so nothing has been recorded. Please close it and open it again from the episode’s thread.';
    case 'internal_error':
      return `Something went wrong on our side and nothing was recorded (reference ${d.correlationId}). Please try again; if a child is at risk, act now and record afterwards.`;
    case 'store_unavailable':
      return 'I can’t reach the record right now (the database is not answering), so I can’t do this yet. Please try again in a minute. If a child is at risk, act now and record afterwards.';
    case 'recording_delayed':
      return 'Recording is delayed: the database is not answering right now. Your entry is kept safe and will be added to the record, with the time you sent it, as soon as the database is back — no need to send it again. If a child is at risk, act now and record afterwards.';
  }
}

/** Things a person is told that are not refusals: what happened to what they did. */
export type NoticeCode = 'message_in_parts';

export function describeNotice(code: NoticeCode, detail: Record<string, string | number> = {}): string {
  switch (code) {
    case 'message_in_parts':
      return `Your message was longer than one entry of the record takes, so it is kept whole in ${detail.parts} parts, one after the other. Nothing was left out.`;
  }
}
