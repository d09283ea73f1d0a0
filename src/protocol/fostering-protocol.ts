import { defaultProtocol } from './default-protocol.ts';
import { protocolSchema, type Protocol } from './schema.ts';

/**
 * The fostering service's procedure, in the project's own words, distilled from the
 * fostering-agency policy in shared/seeds (002_…) and the national rules. The foster carer does
 * the first checks and tells the child's social worker and the agency's supervising social
 * worker at once; the child's social worker decides whether the police are told; the agency's
 * safeguarding lead decides on telling Ofsted within 24 hours. Item ids the engine records
 * against (report-police, call-child, confirm-last-seen, offer-rhi, …) are the same as the
 * children's home's, so the record reads the same way; the risk factors and signs of
 * exploitation are the same national ones.
 */
/** A step, reminder or party the same in both procedures, taken from the children's home's. */
const sameAs = <T extends { id: string }>(list: T[], id: string): T => {
  const found = list.find((x) => x.id === id);
  if (!found) throw new Error(`the children's home procedure has no "${id}"`);
  return found;
};
const homeItem = (id: string) => sameAs(defaultProtocol.checklist, id);
const homeRung = (id: string) => sameAs(defaultProtocol.ladder, id);
const homeParty = (id: string) => sameAs(defaultProtocol.notificationParties, id);

const data = {
  version: '2026-12-fostering',
  rhiWithinHours: 72,
  contactAttemptEveryMinutes: 60,
  approvalTimeoutMinutes: 30,
  policeDecidedBy: 'childs_social_worker',
  ofstedDecision:
    'telling Ofsted of the missing episode (Fostering Services (England) Regulations 2011, regulation 36)',
  // The child's case record is kept as the responsible authority keeps it.
  retention: {
    years: 75,
    rule: "75 years from the child's date of birth (Care Planning, Placement and Case Review (England) Regulations 2010, regulation 50)",
  },
  riskFactors: defaultProtocol.riskFactors,
  exploitationIndicators: defaultProtocol.exploitationIndicators,
  stages: [
    {
      id: 'establish',
      title: 'First checks (the foster carer, straight away)',
      summary:
        'Check the home, garden and streets around, try to reach the child and their friends, follow them if it is safe.',
    },
    {
      id: 'notify',
      title: 'Tell the social workers at once',
      summary:
        'The child’s social worker and the supervising social worker, however short the absence. The child’s social worker decides on the police.',
    },
    {
      id: 'search',
      title: 'While the child is away',
      summary:
        'Do what the social worker and police agree, keep trying to reach the child, pass new information on at once.',
    },
    {
      id: 'return',
      title: 'When the child is found',
      summary:
        'Collect the child if it is safe, tell everyone they are back, welcome them warmly, write down what they say.',
    },
    {
      id: 'review',
      title: 'After the return',
      summary:
        'The child’s social worker arranges the return interview within 72 hours; police safe and well check; risk plan updated.',
    },
  ],
  checklist: [
    {
      id: 'search-home',
      stage: 'establish',
      label: 'Check your home and wherever the child should be, including anywhere they could hide',
    },
    {
      id: 'search-grounds',
      stage: 'establish',
      label: 'Check the garden, garage, sheds and the streets around',
    },
    {
      id: 'call-child',
      stage: 'establish',
      label: 'Call, text and message the child (phone, social media) — log every attempt',
      help: 'Use "contact attempt" so each call, text or message is in the record with its outcome.',
    },
    {
      id: 'ask-friends',
      stage: 'establish',
      label: 'Contact the friends and others the child may be in touch with',
      help: 'If you find the child this way and they are safe there, they are not reported missing; if you are worried, tell the social worker, who asks the police for a welfare check.',
    },
    {
      id: 'follow-child',
      stage: 'establish',
      label:
        'If you saw the child leave: follow them if it is safe, and keep the child’s social worker told where they are',
      help: 'Never hold a child back unless they are in immediate danger or harming someone.',
    },
    homeItem('confirm-last-seen'),
    {
      id: 'tell-social-worker',
      stage: 'notify',
      label: 'Tell the child’s social worker at once, however short the absence (the emergency duty team out of hours)',
      call: { inHours: 'socialWorker', outOfHours: 'placingAuthorityEdt' },
      canBeNotApplicable: false,
    },
    {
      id: 'tell-supervising-social-worker',
      stage: 'notify',
      label: 'Tell the supervising social worker at the same time (the agency’s on-call out of hours)',
      call: { inHours: 'supervisingSocialWorker', outOfHours: 'agencyOnCall' },
      canBeNotApplicable: false,
    },
    {
      id: 'report-police',
      stage: 'notify',
      label:
        'Police: the child’s social worker decides — record the report (reference and officer), or their decision and why',
      help: 'Call 999 yourself if the child is in immediate danger. High risk means the police are deployed at once.',
      canBeNotApplicable: false,
    },
    {
      id: 'tell-safeguarding-lead',
      stage: 'notify',
      label: 'Supervising social worker: tell the agency’s safeguarding lead (the registered manager)',
      help: 'If the safeguarding lead is not available, tell the Responsible Individual and the Agency Decision Maker.',
      canBeNotApplicable: false,
    },
    homeItem('tell-iro'),
    homeItem('tell-parents'),
    {
      id: 'ofsted-decision',
      stage: 'notify',
      label: 'Safeguarding lead: notify Ofsted of the missing episode within 24 hours (or record why not)',
      help: 'The agency notifies Ofsted of every episode of a child missing from care; an absence that was not “missing” may not need it.',
      canBeNotApplicable: false,
    },
    {
      id: 'agreed-searches',
      stage: 'search',
      label: 'Do what the social worker and police agree, and record who looked where, when, and what was found',
    },
    {
      id: 'pass-information',
      stage: 'search',
      label: 'Pass any new information to the child’s social worker and the police straight away',
    },
    homeItem('keep-trying-contact'),
    homeItem('reassess-risk'),
    {
      id: 'collect-child',
      stage: 'return',
      label:
        'Collect the child from where they are, unless that puts you at risk (then ask the social worker or police)',
      help: 'The police may help a child who will not come back, but a child is never reported missing only for that.',
    },
    {
      id: 'with-parents-section-20',
      stage: 'return',
      label:
        'The child is with parents who hold parental responsibility: tell the social worker, who decides what happens next',
      help: 'Under section 20 the parents keep parental responsibility: you cannot bring the child back yourself.',
      onlyIf: { plan: 'section20', otherwise: 'the child is not placed under section 20' },
    },
    homeItem('tell-police-return'),
    {
      id: 'tell-social-workers-return',
      stage: 'return',
      label: 'Tell the child’s social worker and the supervising social worker the child is back',
      canBeNotApplicable: false,
    },
    {
      id: 'welfare-check',
      stage: 'return',
      label: 'Welcome the child warmly, no telling off: food, warmth, safety, a welfare check',
    },
    homeItem('record-condition'),
    homeItem('exploitation-check'),
    {
      id: 'write-down-conversations',
      stage: 'return',
      label: 'Write down what the child says about being away, and share it with both social workers',
      canBeNotApplicable: false,
    },
    {
      id: 'offer-rhi',
      stage: 'review',
      label:
        'Return home interview within 72 hours: the child’s social worker arranges it — prompt them if it is not offered',
      canBeNotApplicable: false,
    },
    homeItem('safe-and-well'),
    {
      id: 'update-risk-assessment',
      stage: 'review',
      label: 'Update the child’s risk management plan',
      canBeNotApplicable: false,
    },
    homeItem('care-plan-review'),
  ],
  notificationParties: [
    { id: 'social-worker', label: 'Child’s social worker', ticks: 'tell-social-worker' },
    homeParty('edt'),
    {
      id: 'supervising-social-worker',
      label: 'Supervising social worker',
      ticks: 'tell-supervising-social-worker',
    },
    { id: 'agency-on-call', label: 'Agency on-call (out of hours)', ticks: 'tell-supervising-social-worker' },
    homeParty('police'),
    { id: 'safeguarding-lead', label: 'Agency safeguarding lead', ticks: 'tell-safeguarding-lead' },
    homeParty('iro'),
    homeParty('parents'),
    { id: 'ofsted', label: 'Ofsted (within 24 hours)', ticks: 'ofsted-decision' },
    homeParty('missing-people'),
    homeParty('other'),
  ],
  ladder: [
    {
      id: 'social-workers-not-told',
      title: 'Tell both social workers',
      when: 'itemsOpen',
      items: ['tell-social-worker', 'tell-supervising-social-worker'],
      anchor: 'opened',
      afterMinutes: 5,
      repeatEveryMinutes: 15,
      audience: 'placement',
      text: '{alias}’s social worker and supervising social worker must both be told at once, however short the absence: call them now (out of hours the emergency duty team and the agency’s on-call) and record it.',
    },
    {
      id: 'safeguarding-lead-not-told',
      title: 'Tell the safeguarding lead',
      when: 'itemsOpen',
      items: ['tell-safeguarding-lead'],
      anchor: 'opened',
      afterMinutes: 30,
      repeatEveryMinutes: 30,
      audience: 'placement',
      text: 'The agency’s safeguarding lead has not been told of {alias}’s episode: the supervising social worker tells them now (or, if they are not available, the Responsible Individual and the Agency Decision Maker).',
    },
    {
      id: 'stage-1-open',
      title: 'Finish the first checks',
      when: 'stageItemsOpen',
      stage: 'establish',
      anchor: 'opened',
      afterMinutes: 15,
      audience: 'placement',
      text: '{alias} has been missing 15 minutes and the first checks are still open: finish them, or mark them not applicable with a reason.',
    },
    {
      id: 'police-not-told',
      title: 'Police: the social worker’s decision',
      when: 'policeNotTold',
      anchor: 'reportAfter',
      afterMinutes: 0,
      repeatEveryMinutes: 15,
      audience: 'placement',
      text: '{alias} has not been reported to the police and the plan’s report-after time has passed. Ask the child’s social worker (the emergency duty team out of hours) for their decision now, and record it; call 999 yourself if the child is in immediate danger.',
    },
    homeRung('police-reference-to-follow'),
    {
      id: 'high-risk-call-999',
      title: 'Call 999 with the new information',
      when: 'highRiskNotEscalated',
      anchor: 'riskRaised',
      afterMinutes: 0,
      audience: 'placement',
      text: '{alias} is now assessed as high risk: the police must be deployed at once. Call 999 now, then tell the child’s social worker, who liaises with the police.',
    },
    homeRung('contact-attempt-due'),
    {
      id: 'ofsted-24h',
      title: 'Notify Ofsted (24 hours)',
      when: 'ofstedDecisionNotRecorded',
      anchor: 'opened',
      afterMinutes: 60,
      repeatEveryMinutes: 360,
      deadlineMinutes: 1440,
      audience: 'managers',
      text: 'The safeguarding lead notifies Ofsted of every episode of a child missing from care: tell Ofsted about {alias}’s within 24 hours, by {deadline}, and record it (or why it is not needed).',
    },
    {
      id: 'ofsted-24h-breach',
      title: 'Ofsted not notified (24 hours)',
      when: 'ofstedDecisionNotRecorded',
      anchor: 'opened',
      afterMinutes: 1440,
      repeatEveryMinutes: 1440,
      audience: 'managers',
      text: 'OVERDUE: Ofsted has not been notified of {alias}’s episode and the 24 hours are up. Notify them now and record why it was late.',
    },
    {
      id: 'missing-3-days',
      title: 'Missing-from-care meeting (within 3 days)',
      when: 'stillMissing',
      anchor: 'opened',
      afterMinutes: 2880,
      deadlineMinutes: 4320,
      audience: 'managers',
      text: '{alias} has been missing for 2 days: the missing-from-care meeting (police, both social workers, the carers) must be held within 3 days, by {deadline}. Ask the child’s social worker to arrange it now.',
    },
    {
      id: 'cp-strategy-meeting',
      title: 'Strategy meeting (child protection plan)',
      when: 'onChildProtectionPlanStillMissing',
      anchor: 'opened',
      afterMinutes: 60,
      repeatEveryMinutes: 2880,
      deadlineMinutes: 10080,
      audience: 'managers',
      text: '{alias} is on a child protection plan and is missing: the child’s social worker must hold a strategy meeting as soon as practicable, and by {deadline} at the latest (not needed if the child is back before it).',
    },
    {
      id: 'monthly-meeting',
      title: 'Monthly missing-from-care meeting',
      when: 'stillMissing',
      anchor: 'opened',
      afterMinutes: 43200,
      repeatEveryMinutes: 43200,
      audience: 'managers',
      text: '{alias} is still missing: ask the child’s social worker for this month’s missing-from-care meeting.',
    },
    {
      id: 'police-told-of-return',
      title: 'Tell the police the child is back',
      when: 'policeNotToldOfReturn',
      anchor: 'returned',
      afterMinutes: 30,
      audience: 'placement',
      text: '{alias} is back but the police have not been told yet: tell them now (time and welfare).',
    },
    {
      id: 'rhi-24h',
      title: 'Return home interview (24-hour reminder)',
      when: 'rhiNotHeld',
      anchor: 'returned',
      afterMinutes: 1440,
      audience: 'placement',
      text: '24 hours since {alias} came back: the child’s social worker must arrange the return home interview by {rhiDue}. Prompt them if it has not been offered.',
    },
    {
      id: 'rhi-48h',
      title: 'Return home interview (48-hour reminder)',
      when: 'rhiNotHeld',
      anchor: 'returned',
      afterMinutes: 2880,
      audience: 'placement',
      text: '48 hours since {alias} came back: the return home interview is due by {rhiDue}. If it was refused, ask for it to be offered again.',
    },
    {
      id: 'rhi-66h-escalate',
      title: 'Return home interview not arranged',
      when: 'rhiNotArranged',
      anchor: 'returned',
      afterMinutes: 3960,
      audience: 'managers',
      text: 'No return home interview is arranged for {alias} and the 72-hour limit is {rhiDue}: please take it up with the child’s social worker.',
    },
    {
      id: 'rhi-72h-breach',
      title: 'Return home interview overdue (72 hours)',
      when: 'rhiNotHeld',
      anchor: 'returned',
      afterMinutes: 4320,
      audience: 'managers',
      text: 'BREACH: no return home interview was held for {alias} within 72 hours of the return ({rhiDue}). Ask the child’s social worker to hold it as soon as possible and record why it was late.',
    },
    homeRung('safe-and-well-check'),
    {
      id: 'risk-assessment-update',
      title: 'Update the risk management plan',
      when: 'riskAssessmentNotUpdated',
      anchor: 'returned',
      afterMinutes: 2880,
      audience: 'managers',
      text: '{alias}’s risk management plan needs updating after this episode, with the carers and the child’s social worker.',
    },
    {
      id: 'care-plan-review',
      title: 'Ask for a care-plan review',
      when: 'carePlanReviewNotAsked',
      anchor: 'returned',
      afterMinutes: 1440,
      audience: 'managers',
      text: '{alias} has gone missing again within weeks: ask the child’s social worker for a care-plan review, and record it in the thread once asked.',
    },
  ],
};

/** The validated protocol every fostering service runs. */
export const fosteringProtocol: Protocol = protocolSchema.parse(data);
