import { label } from '../messages/format.ts';
import { fields, FONT, heading, lines, renderPdf, write, type Pdf } from './pdf.ts';
import type { RecordDocument, Stamp } from './record-schema.ts';

const at = (s: Stamp | null | undefined) => s?.local ?? null;
const sentence = (text: string) => (/[.!?)]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
const by = (p: { name: string; role: string }) => `${p.name} (${label(p.role).toLowerCase()})`;
type Person = { name: string; role: string };
const recordedText = (r: { by: Person; at: Stamp } | undefined) => (r ? `${by(r.by)}, ${r.at.local}` : null);
/** "by Sam", or for a change a manager approved "asked by Jo, approved by Sam". */
const whoDid = (c: { by: Person; askedBy?: Person | undefined; approvedBy?: Person | undefined }) =>
  c.askedBy && c.approvedBy ? `asked by ${by(c.askedBy)}, approved by ${by(c.approvedBy)}` : `by ${by(c.by)}`;

/** The verification line, boxed, in green or red: the first thing a reader should see. */
function verification(doc: Pdf, v: RecordDocument['verification']): void {
  const colour = v.ok ? '#166534' : '#b91c1c';
  const x = doc.page.margins.left;
  const width = doc.page.width - x - doc.page.margins.right;
  const text = `Verification: ${v.statement}`;
  doc.font(FONT.bold).fontSize(10);
  const height = doc.heightOfString(text, { width: width - 16 }) + 12;
  const y = doc.y;
  doc.rect(x, y, width, height).lineWidth(1).strokeColor(colour).stroke();
  doc.fillColor(colour).text(text, x + 8, y + 6, { width: width - 16 });
  doc
    .fillColor('#000000')
    .font(FONT.regular)
    .text('', x, y + height + 4);
}

function summary(doc: Pdf, d: RecordDocument): void {
  const e = d.episode;
  fields(doc, [
    ['Home', d.home.name],
    ['Child (alias)', d.child.alias],
    ['Name', d.child.name],
    ['Date of birth', d.child.dateOfBirth],
    [
      'Keep this record until',
      d.retention?.keepUntil
        ? `${d.retention.keepUntil}: ${d.retention.rule}`
        : `the date of birth is known, then ${d.retention?.rule ?? 'as the regulations say'}`,
    ],
    ['Episode', `${e.id}${e.drill ? ' (DRILL — not a real episode)' : ''}`],
    ['Status', label(e.status)],
    ['Classification now', label(e.classification)],
    ['Risk now', `${label(e.riskLevel)}${e.riskFactors.length ? ` — ${e.riskFactors.join('; ')}` : ''}`],
    ['Opened', at(e.openedAt)],
    ['Closed', at(e.closedAt)],
  ]);
  heading(doc, 'Last seen');
  fields(doc, [
    ['When', at(e.lastSeen.at)],
    ['Where', e.lastSeen.place],
    ['By', e.lastSeen.by],
    ['Clothing and belongings', e.lastSeen.clothing],
    ['With', e.lastSeen.withWhom],
    ['Recorded by', recordedText(e.lastSeen.recorded)],
  ]);
  heading(doc, 'Police report');
  const p = d.police;
  if (!p) lines(doc, [], 'The police report is not recorded.');
  else
    fields(doc, [
      ['Reported', p.reportedAt.local],
      ['Reference', p.reference ?? 'to follow'],
      ['Officer', p.officer],
      ['Police grade', label(p.grade)],
      ['Agreed review', at(p.reviewAt)],
      ['Recorded by', recordedText(p.recorded)],
    ]);
}

function histories(doc: Pdf, d: RecordDocument): void {
  heading(doc, 'Classification history');
  lines(
    doc,
    d.classificationHistory.map((c) => `${c.at.local} — ${label(c.classification)}, ${whoDid(c)}. ${c.reason}`),
    'None recorded.',
  );
  heading(doc, 'Risk assessment and updates');
  lines(
    doc,
    d.riskHistory.map(
      (r) =>
        `${r.at.local} — ${label(r.level)} (${r.source === 'police' ? 'police grade' : 'internal rating'}), ${whoDid(r)}. ${sentence(r.reason)}${r.factors.length ? ` Factors: ${r.factors.join('; ')}.` : ''}`,
    ),
    'None recorded.',
  );
  heading(doc, 'Notifications');
  lines(
    doc,
    d.notifications.map((n) =>
      n.decision === 'notified'
        ? `${n.at.local} — ${n.party} notified${n.method ? ` by ${n.method}` : ''}, by ${by(n.by)}.${n.response ? ` Response: ${n.response}` : ''}`
        : `${n.at.local} — decided not to notify ${n.party}, by ${by(n.by)}: ${n.reason ?? ''}`,
    ),
    'None recorded.',
  );
  heading(doc, 'Contact attempts');
  lines(
    doc,
    d.contactAttempts.map((a) => `${a.at.local} — ${a.method}: ${a.outcome} (${by(a.by)})`),
    'None recorded.',
  );
  heading(doc, 'Searches');
  lines(
    doc,
    d.searches.map((s) => `${s.at.local} — ${s.who} searched ${s.where}: ${s.outcome} (recorded by ${by(s.by)})`),
    'None recorded.',
  );
}

function afterReturn(doc: Pdf, d: RecordDocument): void {
  heading(doc, 'Return');
  const r = d.return;
  if (!r) lines(doc, [], 'The child has not been recorded as returned.');
  else
    fields(doc, [
      ['Returned', r.at.local],
      ['How', r.how],
      ['Where found', r.whereFound],
      ['Condition', r.condition],
      ['Notes', r.notes],
      ['Police told of return', at(r.policeToldAt)],
      ['Safe and well check', at(r.safeAndWellAt)],
      ['Risk assessment updated', at(r.riskAssessmentUpdatedAt)],
      ['Return recorded by', recordedText(r.recorded)],
    ]);
  heading(doc, 'Exploitation indicators seen on return');
  lines(doc, d.exploitationIndicators, r ? 'None seen.' : 'Not applicable yet.');
  heading(doc, 'Return home interview');
  fields(doc, [
    ['Status', label(d.rhi.status)],
    ['Offered', at(d.rhi.offeredAt)],
    ['Held', at(d.rhi.heldAt)],
  ]);
  lines(
    doc,
    d.rhi.history.map(
      (h) =>
        `${h.at.local} — ${label(h.status)}, recorded by ${by(h.by)}${
          h.held
            ? `. Held by ${h.held.interviewer ?? 'not recorded'} (${h.held.organisation ?? 'not recorded'}${h.held.independent ? ', independent of the home' : ''}); the child ${h.held.tookPart ? 'took part' : 'did not take part'}; shared with the social worker: ${h.held.sharedWithSocialWorker ?? 'not recorded'}`
            : ''
        }${h.note ? `. ${h.note}` : ''}`,
    ),
    'No offer recorded.',
  );
  heading(doc, 'Approvals');
  lines(
    doc,
    d.approvals.map(
      (a) =>
        `${a.requestedAt.local} — ${a.summary}: asked by ${by(a.requestedBy)}; ${a.status}${a.decidedBy ? ` by ${by(a.decidedBy)}` : ''}${a.decidedAt ? ` at ${a.decidedAt.local}` : ''}${a.note ? `. ${a.note}` : ''}`,
    ),
    'None asked for.',
  );
}

/** Every entry: number, local time, author and role, what it is, and its words. */
function timeline(doc: Pdf, d: RecordDocument): void {
  doc.addPage();
  heading(doc, `Timeline — ${d.entries.length} entries (times in ${d.home.timeZone})`, 13);
  for (const e of d.entries) {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 40) doc.addPage();
    doc.fontSize(9).fillColor('#333333');
    write(doc, [
      {
        text: `#${e.seq}  ${e.local}  ${e.authorName} (${label(e.authorRole).toLowerCase()})  [${e.kind}]`,
        weight: 'bold',
      },
    ]);
    doc.fontSize(10).fillColor('#000000');
    write(doc, e.text, { indent: 12 });
    doc.moveDown(0.3);
  }
}

/** The record as a PDF for people: summaries first, then the full timeline, the verification at both ends. */
export function recordPdf(d: RecordDocument): Promise<Uint8Array> {
  return renderPdf(
    {
      title: `Missing episode record — ${d.child.alias}`,
      author: d.generated.by.name,
      subject: `Episode ${d.episode.id}, ${d.home.name}`,
      createdAt: new Date(d.generated.at.iso),
    },
    (doc) => {
      doc.fontSize(16);
      write(doc, [{ text: `Missing episode record — ${d.child.alias}`, weight: 'bold' }]);
      doc.fontSize(9).fillColor('#555555');
      write(doc, `Generated ${d.generated.at.local} by ${by(d.generated.by)}. Contains personal data: keep it secure.`);
      doc.fillColor('#000000').moveDown(0.5);
      verification(doc, d.verification);
      summary(doc, d);
      histories(doc, d);
      afterReturn(doc, d);
      timeline(doc, d);
      heading(doc, 'Verification');
      verification(doc, d.verification);
      doc.fontSize(8).fillColor('#555555');
      write(doc, `Document digest (sha256 of the JSON export): ${d.digest}`);
    },
    (page, pages) => `${d.home.name} — record of ${d.child.alias}, episode ${d.episode.id} — page ${page} of ${pages}`,
  );
}
