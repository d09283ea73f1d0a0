/** A request for a manager's decision on a risky change, and how it was decided. */
export interface ApprovalRecord {
  id: string;
  episodeId: string;
  kind: ApprovalKind;
  status: 'pending' | 'approved' | 'declined';
  payload: Record<string, unknown>;
  requestedByStaffId: string;
  requestedAt: Date;
  decidedByStaffId: string | null;
  decidedAt: Date | null;
  note: string | null;
}
/** What a manager is asked to approve. */
export type ApprovalKind =
  | 'downgrade_classification'
  | 'downgrade_risk'
  | 'closure'
  | 'signoff_ofsted'
  | 'signoff_record'
  /** Deciding not to report a missing child to the police: the risky direction. */
  | 'police_not_required';
