import * as z from 'zod/mini';
import { S3DocumentStore } from '../adapters/s3-document-store.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { AwsVariable } from './config.js';
import { lazyClient } from './lazy-client.js';

const BUCKET = 'DOCUMENTS_BUCKET' satisfies AwsVariable;
const Environment = z.object({ [BUCKET]: z.string().check(z.minLength(1)) });

let documents: DocumentStore | undefined;

/**
 * The documents bucket alone, for the lean PDF Lambda (pdfkit and qrcode leave no room for the whole ledger in its
 * bundle): the same adapter and variable as the full composition, checked with zod/mini at cold start.
 */
export function awsDocuments(env: Record<string, string | undefined> = process.env): DocumentStore {
  if (documents) return documents;
  const parsed = Environment.safeParse(env);
  if (!parsed.success) throw new Error(`the function's environment is incomplete: ${BUCKET} is not set`);
  documents = new S3DocumentStore(
    lazyClient(() => import('@aws-sdk/client-s3').then((sdk) => new sdk.S3Client({}))),
    parsed.data[BUCKET],
    { unlisted: true },
  );
  return documents;
}
