import * as z from '../../events/zod.js';
import { certificate, certificateStream } from '../../domain/certificate.js';
import { parseCertificateCode } from '../../domain/certificate-code.js';
import { notFound } from '../../domain/errors.js';
import type { LedgerDeps } from '../shared/deps.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { created, type RouteContext } from '../shared/route.js';

export const StatusChangeBody = z.object({
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
  legalBasis: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
});

export const StatusChangeAnswer = z.object({ code: z.string(), status: z.enum(['valid', 'suspended', 'revoked']) });

/** Suspension, reinstatement, revocation: an event with reason and legal basis, effective on the ledger's date. */
export async function changeCertificateStatus(
  deps: LedgerDeps,
  type: 'SuspendCertificate' | 'ReinstateCertificate' | 'RevokeCertificate',
  typedCode: string,
  body: z.infer<typeof StatusChangeBody>,
  ctx: RouteContext,
) {
  const code = parseCertificateCode(typedCode);
  if (!code) throw notFound('certificate-not-found', 'no certificate answers to this code');
  const result = await deps.commands.handle(
    certificate,
    certificateStream(code),
    { type, code, reason: body.reason, legalBasis: body.legalBasis, by: ctx.command.actor, on: ledgerDate(ctx.command.now) },
    ctx.command,
  );
  if (result.state.status === 'unissued') throw notFound('certificate-not-found', 'no certificate answers to this code');
  return created({ code, status: result.state.status });
}
