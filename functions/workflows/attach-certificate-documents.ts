import * as z from '../../events/zod.js';
import { completeIssuance, type PendingDocuments } from '../certificates/issue-certificate.js';
import { workflowStep } from '../shared/workflow-step.js';
import { stepHandler } from './workflow-lambda.js';

const Input = z.object({
  certificates: z.object({ pending: z.array(z.custom<PendingDocuments>((v) => typeof v === 'object' && v !== null && 'input' in v && 'pdf' in v)) }),
  pdfs: z.object({ pdfs: z.array(z.object({ code: z.string(), key: z.string(), sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)) })) }),
});

/** Signs each credential and appends CertificateDocumentsAttached with it and the stored PDF's SHA-256. */
export const step = workflowStep(Input, async (deps, { certificates, pdfs }) => {
  const attached: string[] = [];
  for (const pending of certificates.pending) {
    const pdf = pdfs.pdfs.find((p) => p.code === pending.pdf.code);
    if (!pdf) throw new Error(`no PDF rendered for ${pending.pdf.code}`);
    attached.push((await completeIssuance(deps, pending, { key: pdf.key, sha256: pdf.sha256 })).code);
  }
  return { attached };
});

export const handler = stepHandler(step);
