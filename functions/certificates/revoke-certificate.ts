import { lambdaHandler } from '../shared/lambda.js';
import { defineRoute } from '../shared/route.js';
import { changeCertificateStatus, StatusChangeAnswer, StatusChangeBody } from './change-status.js';
import { CodeParams } from './verification.js';

export const route = defineRoute({
  summary: 'Revokes a valid or suspended certificate for good (DREETS), with reason and legal basis',
  params: CodeParams,
  body: StatusChangeBody,
  response: { status: 201, schema: StatusChangeAnswer },
  handle: ({ params, body, ctx }, deps) => changeCertificateStatus(deps, 'RevokeCertificate', params.code, body, ctx),
});

export const handler = lambdaHandler('certificates/revoke-certificate', route);
