import { differenceInYears } from 'date-fns/differenceInYears';
import type { Episode } from '../domain/episode.ts';
import { label } from '../messages/format.ts';
import type { ChildPlan } from '../protocol/plan.ts';
import type { Protocol } from '../protocol/schema.ts';
import { FONT, renderPdf, write, type Pdf } from './pdf.ts';
import { localStamp } from './time.ts';

/** What the grab pack is made from: the child's plan (kept ready) and what was taken at the time. */
export interface PolicePackInput {
  generatedAt: Date;
  generatedBy: { name: string; role: string };
  home: { name: string; timeZone: string };
  child: { alias: string; name?: string | undefined; dateOfBirth?: string | undefined; plan: ChildPlan };
  episode: Episode;
  protocol: Protocol;
  /** What the record says about the circumstances (last-seen and new-information entries), oldest first. */
  circumstances: string[];
}

const MAX_TEXT = 320;
const clip = (text: string, max = MAX_TEXT) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One page, always: a row that would not fit is left out and the page says so. */
function writer(doc: Pdf) {
  const bottom = () => doc.page.height - doc.page.margins.bottom - 24;
  let cut = false;
  const row = (name: string, value: string | null | undefined) => {
    const shown = value && value.trim() ? clip(value) : 'not recorded';
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    doc.font(FONT.regular).fontSize(9);
    if (cut || doc.y + doc.heightOfString(`${name}: ${shown}`, { width }) > bottom()) return void (cut = true);
    write(doc, [{ text: `${name}: `, weight: 'bold' }, { text: shown }]);
  };
  const section = (title: string) => {
    if (cut || doc.y > bottom() - 30) return void (cut = true);
    doc.moveDown(0.4).fontSize(11).fillColor('#1d4ed8');
    write(doc, [{ text: title, weight: 'bold' }]);
    doc.fillColor('#000000').moveDown(0.1);
  };
  return { row, section, cut: () => cut };
}

/** The police grab pack (Philomena Protocol): what the police ask for, on one page, for the person reporting. */
export function policePackPdf(input: PolicePackInput): Promise<Uint8Array> {
  const { child, episode: e, home, protocol } = input;
  const tz = home.timeZone;
  const plan = child.plan;
  const dob = child.dateOfBirth;
  const age = dob ? differenceInYears(input.generatedAt, new Date(`${dob}T12:00:00Z`)) : null;
  const factor = (id: string) => protocol.riskFactors.find((f) => f.id === id)?.label ?? id;
  const list = (items: string[]) => (items.length ? items.slice(0, 8).join('; ') : null);
  return renderPdf(
    {
      title: `Police grab pack — ${child.alias}`,
      author: input.generatedBy.name,
      subject: `${home.name}: missing episode ${e.id}`,
      createdAt: input.generatedAt,
    },
    (doc) => {
      const w = writer(doc);
      doc.fontSize(15);
      write(doc, [{ text: `Police grab pack — ${child.name ?? child.alias}`, weight: 'bold' }]);
      doc.fontSize(8).fillColor('#b91c1c');
      write(
        doc,
        `For the police officer taking the report. Personal data: hand over, never post in chat. ${home.name}, made ${localStamp(input.generatedAt, tz)} for ${input.generatedBy.name}.`,
      );
      doc.fillColor('#000000');
      w.section('The child');
      w.row('Name', child.name);
      w.row('Known as (alias)', child.alias);
      w.row('Date of birth', dob ? `${dob}${age !== null ? ` (age ${age})` : ''}` : null);
      w.row('Legal status', plan.legalStatus);
      w.row('Responsible authority', plan.responsibleAuthority);
      w.row('Description', plan.description);
      w.row(
        'Recent photo',
        `${plan.photoKept ? `kept ${plan.photoKept}` : 'held by the home'}: hand it over in person or by secure email, never in chat`,
      );
      w.row('Phones', list(plan.phones));
      w.row('Social media', list(plan.socialMedia));
      w.row('Profile last checked', plan.profileUpdatedOn ?? 'not recorded: check it with the home');
      w.row('On a child protection plan', plan.onChildProtectionPlan ? 'yes' : 'no');
      w.section('Missing now');
      w.row('Last seen', e.lastSeenAt ? localStamp(e.lastSeenAt, tz) : null);
      w.row('Where', e.lastSeenPlace);
      w.row('Seen by', e.lastSeenBy);
      w.row('With', e.withWhom);
      w.row('Clothing and belongings', e.clothing);
      w.row('Circumstances', input.circumstances.length ? input.circumstances.slice(-3).join(' / ') : null);
      w.section('Risk');
      w.row('Current internal rating', label(e.riskLevel));
      w.row('Risk factors', list(e.riskFactors.map(factor)));
      w.row(
        'Police report',
        e.police
          ? `${e.police.reference ? `reference ${e.police.reference}` : 'reference to follow'}, officer ${e.police.officer ?? 'not recorded'}, graded ${label(e.police.grade)}`
          : null,
      );
      w.row('Medical needs', plan.medicalNeeds);
      w.section('Where they may be, and with whom');
      w.row('Associates', list(plan.associates));
      w.row('Places', list(plan.places));
      w.section('Contacts');
      w.row('Social worker', plan.contacts.socialWorker);
      w.row('Placing authority EDT', plan.contacts.placingAuthorityEdt);
      w.row('Parents with parental responsibility', plan.contacts.parentsWithPR);
      if (w.cut()) {
        doc.fontSize(8);
        write(doc, [
          { text: 'More is in the full record export (ask a manager): this pack stays on one page.', weight: 'italic' },
        ]);
      }
    },
  );
}
