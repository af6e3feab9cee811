import { newCertificateCode, type IssueCertificateInput } from '../../functions/certificates/issue-certificate.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import { issueCertificate } from './issue-certificate.js';
import { registeredCentre } from './registered-centre.js';

type As = [role: 'centre' | 'juror' | 'dreets' | 'ministry' | 'candidate', ledgerId: string, region?: string];
type Call = (method: string, path: string, opts: { as: As; body: unknown }) => Promise<{ status: number; json: any }>;

export interface HolderWithTitre {
  centreId: string;
  candidateId: string;
  /** The titre's certificate code. */
  code: string;
}

/**
 * A candidate holding a titre (RNCP38665, both blocs), without a session: registered through the HTTP contract by a
 * registered centre (`centreId`, or a new one), the certificate issued as the session workflow's steps do. What the
 * wallet and verification tests and the verify bench start from when the session itself is not what they test.
 */
export async function holderWithTitre(
  deps: LedgerDeps,
  call: Call,
  { centreId, familyName = 'Moreau' }: { centreId?: string; familyName?: string } = {},
): Promise<HolderWithTitre> {
  const centre = centreId ?? (await registeredCentre(call));
  const registered = await call('POST', '/candidates', { as: ['centre', centre], body: { familyName, givenNames: 'Claire', birthDate: '1990-04-02' } });
  if (registered.status !== 201) throw new Error(`POST /candidates answered ${registered.status}: ${JSON.stringify(registered.json)}`);
  const candidateId = registered.json.candidateId as string;
  const code = newCertificateCode();
  await issueCertificate(deps, titreIssuance(code, candidateId));
  return { centreId: centre, candidateId, code };
}

/** The issuance of a titre (RNCP38665, both blocs, on 2025-09-01) under a new code, outside any session. */
export function titreIssuance(code: string, candidateId: string): IssueCertificateInput {
  return { code, candidateId, kind: 'titre', rncp: 'RNCP38665', blocs: ['RNCP38665BC01', 'RNCP38665BC02'], issuedOn: '2025-09-01', commandId: `issue-${code}` };
}
