import * as pdfkit from 'pdfkit';
import Helvetica from 'pdfkit/standard-fonts/Helvetica';
import HelveticaBold from 'pdfkit/standard-fonts/HelveticaBold';
import Courier from 'pdfkit/standard-fonts/Courier';
import CourierBold from 'pdfkit/standard-fonts/CourierBold';
import { create as encodeQrCode } from 'qrcode/lib/core/qrcode.js';
import type { TitreRoute } from '../../events/candidate.js';
import type { CertificateKind, LedgerCoordinates } from '../../events/certificate.js';
import { frenchDate } from '../../domain/french-words.js';
import { titreRouteText } from './titre-route-text.js';
import { verificationUrl } from './certificate-urls.js';
import { DEVELOPMENT_MARK } from '../shared/stage.js';

// In the Lambda bundle pdfkit is its browser build, which takes the standard fonts from registerStdFonts instead
// of a run-time require (infra/bundling/pdfkit); the Node build, in tests and locally, loads them itself.
const { default: PDFDocument, registerStdFonts } = pdfkit as unknown as { default: typeof import('pdfkit'); registerStdFonts?: (...fonts: unknown[]) => void };
registerStdFonts?.(Helvetica, HelveticaBold, Courier, CourierBold);

export interface CertificatePdfInput {
  publicBaseUrl: string;
  /** A development stage's PDF is a specimen: a red band says so at the top, and its metadata too. */
  stage?: 'development';
  code: string;
  kind: CertificateKind;
  certification: { rncp: string; title: string; level: number; certifier: string };
  blocs: { code: string; title: string }[];
  issuedOn: string;
  issuance: LedgerCoordinates;
  /** A titre's route, or a bloc's équivalence: the certificate says how it was obtained. */
  route?: TitreRoute;
  /**
   * Who issued it, as named on the issue date (domain/issuing-authority.ts), on the public PDF and the named copy
   * alike. Absent when the referential does not know that name (a date before its first entry): the PDF then names
   * no authority rather than a guess.
   */
  authority?: PdfAuthority;
  /** The holder's own copy (GET /candidates/{candidateId}/certificates/{code}/pdf): absent from the public PDF. */
  named?: NamedCertificate;
}

/**
 * What the holder's named PDF adds to the public one: who holds it, where and when the jury sat, who issued it as
 * named on the issue date, and a status other than valid. Rendered per request, never stored.
 */
export interface NamedCertificate {
  holder: { familyName: string; givenNames: string; birthDate: string };
  /** The session whose jury decided; absent for an équivalence (no jury sat). */
  jury?: { startsOn: string; endsOn: string; centre?: { name: string; region: string } };
  /** Today's status when it is not valid: the document says so above everything else. */
  status?: { status: 'suspended' | 'revoked'; since: string };
}

export interface PdfAuthority {
  header: string;
  issuedBy: string;
  ofTheState: boolean;
}

/** The quiet zone the QR code standard asks around the symbol, in modules. */
const QR_QUIET_ZONE = 4;

/**
 * The QR code as vector squares, one rectangle per run of dark modules in a row: sharp at any zoom or print
 * resolution, and no raster image, so the PDF bundle carries neither a PNG encoder nor pdfkit's PNG decoder.
 */
function drawQrCode(doc: PDFKit.PDFDocument, modules: { size: number; get(row: number, col: number): number }, x: number, y: number, side: number) {
  const unit = side / (modules.size + 2 * QR_QUIET_ZONE);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      doc.rect(x + (QR_QUIET_ZONE + start) * unit, y + (QR_QUIET_ZONE + row) * unit, (col - start) * unit, unit);
    }
  }
  doc.fillColor('#000000').fill();
}

const juryDates = ({ startsOn, endsOn }: { startsOn: string; endsOn: string }) =>
  startsOn === endsOn ? `le ${frenchDate(startsOn)}` : `du ${frenchDate(startsOn)} au ${frenchDate(endsOn)}`;

/**
 * The printable certificate, in French: what was obtained (titre or CCP, RNCP code, level, blocs), when, its
 * code, a QR code of its public verification URL, and the ledger coordinates of its issuance. No personal data:
 * the holder proves it is theirs by the code. The same input gives the same bytes (fixed creation date), so a
 * retried issuance stores the very PDF whose SHA-256 the ledger recorded.
 */
export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Uint8Array> {
  const { code, kind, certification, blocs, issuedOn, issuance, named, authority } = input;
  const url = verificationUrl(input.publicBaseUrl, code);
  const qr = encodeQrCode(url, { errorCorrectionLevel: 'M' }).modules;
  const heading = kind === 'titre' ? 'Titre professionnel' : kind === 'ccs' ? 'Certificat complémentaire de spécialisation' : 'Certificat de compétences professionnelles';
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `${heading} — ${kind === 'titre' ? certification.title : blocs[0]!.title} (${code})`,
      Author: authority?.header ?? 'RÉPUBLIQUE FRANÇAISE',
      Subject: `${input.stage ? `${DEVELOPMENT_MARK} — ` : ''}Certificat ${code}, ${certification.rncp}`,
      Creator: 'certification-ledger',
      Producer: 'certification-ledger',
      CreationDate: new Date(`${issuedOn}T00:00:00Z`),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const width = doc.page.width - 112;
  if (input.stage) doc.font('Helvetica-Bold').fontSize(11).fillColor('#ce0500').text(DEVELOPMENT_MARK, { align: 'center' }).moveDown(1);
  // A private certifier's certificate names the certifier alone: the Republic issues only the State's certificates.
  if (!authority || authority.ofTheState) doc.font('Helvetica-Bold').fontSize(10).fillColor('#000091').text('RÉPUBLIQUE FRANÇAISE', { align: 'center' });
  if (authority) doc.font('Helvetica').fontSize(9).fillColor('#333333').text(authority.header, { align: 'center' });
  if (named?.status) {
    const withdrawn = named.status.status === 'revoked';
    doc.moveDown(1);
    doc
      .font('Helvetica-Bold')
      .fontSize(16)
      .fillColor('#c9191e')
      .text(withdrawn ? `CERTIFICAT RETIRÉ le ${frenchDate(named.status.since)}` : `CERTIFICAT SUSPENDU depuis le ${frenchDate(named.status.since)}`, { align: 'center' });
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        withdrawn
          ? 'Ce document n’atteste plus la certification : seule la vérification en ligne fait foi.'
          : 'Tant que la suspension dure, seule la vérification en ligne fait foi.',
        {
          align: 'center',
        },
      );
    doc.fillColor('#000000');
  }
  doc.moveDown(named ? 1.5 : 2.5);
  doc.font('Helvetica').fontSize(14).fillColor('#000000').text(heading, { align: 'center' });
  doc.moveDown(0.6);
  doc
    .font('Helvetica-Bold')
    .fontSize(22)
    .text(kind === 'titre' ? certification.title : blocs[0]!.title, { align: 'center' });
  if (kind !== 'titre') doc.moveDown(0.3).font('Helvetica').fontSize(12).text(`du titre professionnel « ${certification.title} »`, { align: 'center' });
  doc.moveDown(0.6);
  doc.font('Helvetica').fontSize(12).text(`Enregistré au RNCP sous le code ${certification.rncp} — niveau ${certification.level}`, { align: 'center' });
  if (named) {
    const { holder } = named;
    doc.moveDown(1.2);
    doc
      .font('Helvetica-Bold')
      .fontSize(13)
      .text(`Titulaire : ${holder.givenNames} ${holder.familyName.toLocaleUpperCase('fr')}`, { align: 'center' });
    doc
      .font('Helvetica')
      .fontSize(12)
      .text(`Date de naissance : ${frenchDate(holder.birthDate)}`, { align: 'center' });
  }
  doc.moveDown(named ? 1.5 : 2);

  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(kind === 'titre' ? 'Blocs de compétences' : 'Bloc de compétences', 56);
  doc.moveDown(0.4);
  for (const bloc of blocs) {
    doc.font('Helvetica-Bold').fontSize(10).text(bloc.code, { continued: true }).font('Helvetica').text(` — ${bloc.title}`, { width });
    doc.moveDown(0.3);
  }
  doc.moveDown(1);
  if (named?.jury) {
    const { centre } = named.jury;
    doc
      .font('Helvetica')
      .fontSize(12)
      .text(`Jury réuni ${juryDates(named.jury)}${centre ? ` — lieu : ${centre.name} (${centre.region})` : ''}`, { width });
  }
  doc
    .font('Helvetica')
    .fontSize(12)
    .text(`Délivré le ${frenchDate(issuedOn)}`);
  if (authority) doc.font('Helvetica').fontSize(10).text(authority.issuedBy, { width });
  if (kind === 'titre' && input.route) doc.font('Helvetica').fontSize(12).text(`Titre obtenu ${titreRouteText[input.route]}`);
  else if (input.route === 'equivalence') doc.font('Helvetica').fontSize(12).text('Bloc obtenu par équivalence');
  doc.moveDown(named ? 1.5 : 2);

  const top = doc.y;
  const qrSize = 150;
  drawQrCode(doc, qr, 56, top, qrSize);
  const textX = 56 + qrSize + 20;
  doc
    .font('Helvetica')
    .fontSize(10)
    .text('Code de vérification', textX, top + 10);
  doc
    .font('Courier-Bold')
    .fontSize(20)
    .text(code, textX, top + 26);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text('Pour vérifier ce certificat, scannez le code QR ou ouvrez :', textX, top + 60, { width: width - qrSize - 20 });
  doc
    .font('Courier')
    .fontSize(9)
    .text(url, textX, top + 74, { width: width - qrSize - 20 });
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#333333')
    .text('La vérification indique si le certificat est valide, suspendu ou retiré, à la date du jour ou à une date passée.', textX, top + 104, { width: width - qrSize - 20 });

  doc.y = top + qrSize + 30;
  doc.fillColor('#000000').font('Helvetica-Bold').fontSize(9).text('Inscription au registre', 56);
  doc.font('Helvetica').fontSize(8).text(`Flux ${issuance.stream}, version ${issuance.version}, empreinte SHA-256 :`, { width });
  doc.font('Courier').fontSize(8).text(issuance.hash, { width });
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#333333')
    .text('Chaque inscription du registre est chaînée à la précédente par son empreinte : toute modification ultérieure serait détectée.', { width });

  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
