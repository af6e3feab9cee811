import type { HttpMethod, Jwk } from '@openid4vc/oauth2';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { decodeJwt } from 'jose';
import * as z from '../../events/zod.js';
import { DomainError } from '../../domain/errors.js';
import { walletOffer, walletOfferStream } from '../../domain/wallet-offer.js';
import { decodeEvent } from '../../events/registry.js';
import { catalogueEntry, verificationUrl } from '../certificates/certificate-facts.js';
import { issuerDid, sdJwtIssuer } from '../certificates/issuer-identity.js';
import { certificateByCode } from '../certificates/verification.js';
import type { LedgerDeps } from '../shared/deps.js';
import { lambdaHandler } from '../shared/lambda.js';
import { PROBLEM_BASE } from '../shared/problem.js';
import { defineRoute, type HttpRequest, type HttpResponse } from '../shared/route.js';
import { configurationIdOf, type WalletCredentialId } from './credential-types.js';
import { PRE_AUTHORIZED_CODE_GRANT, walletIssuerUrl } from './issuer-metadata.js';
import { ACCESS_TOKEN_LIFETIME_SECONDS, NONCE_LIFETIME_SECONDS, newNonce, nonceIsValid, offerOfCode, sha256Hex, txCodeOf, verifyOwnJws } from './offer-codes.js';

// The @openid4vc libraries build their classic zod schemas when loaded (~100 ms): on the first request that speaks
// the protocol, not at every cold start: in the Lambda bundle they are a chunk beside index.mjs (infra/bundling/code-splitting.ts).
const libraries = () => import('./wallet-issuer.js');

/**
 * The OpenID4VCI endpoints (one module, one function in AWS): `token` exchanges a pre-authorised code (once,
 * before it expires) for an access token, `nonce` gives a c_nonce, `credential` checks the access token and the
 * wallet's proof of possession and answers the SD-JWT VC bound to that key, with the person's data decrypted from
 * the vault at that moment. Errors are problem+json that also carry OAuth's `error` and `error_description`.
 */
const oauthError = (status: number, error: string, description: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify({ type: `${PROBLEM_BASE}${error.replace(/_/g, '-')}`, title: error, status, detail: description, error, error_description: description }),
});
const answer = (body: unknown): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

const TokenRequest = z.looseObject({
  grant_type: z.string().check(z.maxLength(200)),
  'pre-authorized_code': z.optional(z.string().check(z.maxLength(2000))),
  tx_code: z.optional(z.string().check(z.maxLength(20))),
});
const CredentialRequest = z.record(z.string(), z.unknown());

/** Compared in constant time: how long a wrong PIN takes tells nothing of the right one. */
const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const libraryRequest = (req: HttpRequest, deps: LedgerDeps, issuerUrl: (deps: LedgerDeps) => string) => ({
  method: req.method as HttpMethod,
  url: `${issuerUrl(deps)}${req.path}`,
  headers: new Headers(req.headers),
});

async function token(req: HttpRequest, deps: LedgerDeps): Promise<HttpResponse> {
  const fields = TokenRequest.safeParse(Object.fromEntries(new URLSearchParams(req.body ?? '')));
  if (!fields.success) return oauthError(400, 'invalid_request', 'a form with grant_type and pre-authorized_code is expected');
  const { authorizationServer, issuerUrl } = await libraries();
  const server = authorizationServer(deps);
  let grant: ReturnType<typeof server.parseAccessTokenRequest>['grant'];
  try {
    grant = server.parseAccessTokenRequest({ accessTokenRequest: fields.data, request: libraryRequest(req, deps, issuerUrl) }).grant;
  } catch (error) {
    return oauthError(400, 'invalid_request', (error as Error).message.slice(0, 300));
  }
  if (grant.grantType !== PRE_AUTHORIZED_CODE_GRANT) return oauthError(400, 'unsupported_grant_type', 'only the pre-authorised code grant is offered');
  const offer = await offerOfCode(deps, grant.preAuthorizedCode);
  if (!offer) return oauthError(400, 'invalid_grant', 'this pre-authorised code is not one of the ledger’s');
  const txCode = await txCodeOf(deps, offer.candidateId, grant.preAuthorizedCode);
  const codeHash = sha256Hex(grant.preAuthorizedCode);
  let redeemed: boolean;
  try {
    const result = await deps.commands.handle(
      walletOffer,
      walletOfferStream(codeHash),
      {
        type: 'RedeemWalletOffer',
        offer,
        txCodeMatches: txCode !== undefined && grant.txCode !== undefined && sameText(grant.txCode, txCode),
        now: deps.clock.now(),
      },
      // Each attempt is a command of its own: a wrong PIN and the right one after it are two.
      { commandId: `redeem:${codeHash}:${randomUUID()}`, actor: 'system:wallet-token', correlationId: req.requestId, now: deps.clock.now() },
    );
    redeemed = result.state.redeemed !== undefined;
  } catch (error) {
    if (error instanceof DomainError) return oauthError(400, 'invalid_grant', error.message);
    throw error;
  }
  if (!redeemed) return oauthError(400, 'invalid_grant', 'the tx_code (the PIN shown with the offer) is missing or wrong');
  const response = await server.createAccessTokenResponse({
    audience: issuerUrl(deps),
    authorizationServer: issuerUrl(deps),
    signer: { method: 'custom', alg: 'ES256' },
    subject: codeHash,
    expiresInSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
    now: new Date(deps.clock.now()),
  });
  return answer(response);
}

async function nonce(deps: LedgerDeps): Promise<HttpResponse> {
  const { openid4vciIssuer } = await libraries();
  return answer(openid4vciIssuer(deps).createNonceResponse({ cNonce: await newNonce(deps), cNonceExpiresIn: NONCE_LIFETIME_SECONDS }));
}

/** The offer an access token was given for, if the token is the ledger's, for this issuer, and unexpired. */
async function offerOfToken(req: HttpRequest, deps: LedgerDeps) {
  const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer) return undefined;
  const payload = await verifyOwnJws(deps, bearer, 'at+jwt');
  const now = Math.floor(Date.parse(deps.clock.now()) / 1000);
  if (!payload || payload.aud !== walletIssuerUrl(deps) || typeof payload.exp !== 'number' || payload.exp <= now || typeof payload.sub !== 'string') return undefined;
  const { commits } = await deps.store.read(walletOfferStream(payload.sub));
  const state = commits
    .flatMap((c) => c.events)
    .map((e) => decodeEvent(e) as Parameters<typeof walletOffer.evolve>[1])
    .reduce(walletOffer.evolve, walletOffer.initialState);
  return state.redeemed;
}

async function credential(req: HttpRequest, deps: LedgerDeps): Promise<HttpResponse> {
  const offer = await offerOfToken(req, deps);
  if (!offer) return oauthError(401, 'invalid_token', 'a valid access token from /oid4vci/token is required', { 'www-authenticate': 'Bearer error="invalid_token"' });
  let body: unknown;
  try {
    body = JSON.parse(req.body ?? '');
  } catch {
    return oauthError(400, 'invalid_credential_request', 'the body is not JSON');
  }
  const request = CredentialRequest.safeParse(body);
  if (!request.success) return oauthError(400, 'invalid_credential_request', 'a JSON object is expected');
  const { issueSdJwtVc, issuerMetadata, openid4vciIssuer } = await libraries();
  const metadata = issuerMetadata(deps);
  const issuer = openid4vciIssuer(deps);
  const doc = await certificateByCode(deps, offer.certificateCode);
  if (doc?.status !== 'valid') return oauthError(400, 'invalid_credential_request', 'this certificate is no longer valid');
  const expected: WalletCredentialId = configurationIdOf(doc.kind);
  let holderKey: Jwk;
  let parsed: ReturnType<typeof issuer.parseCredentialRequest>;
  try {
    parsed = issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: request.data });
    if (parsed.credentialConfigurationId !== undefined && parsed.credentialConfigurationId !== expected) {
      return oauthError(400, 'unknown_credential_configuration', `this offer is for ${expected}`);
    }
    const proof = parsed.proofs?.jwt?.[0];
    if (!proof) return oauthError(400, 'invalid_proof', 'a jwt proof of possession of the wallet key is required');
    const claimed = decodeJwt(proof).nonce;
    if (typeof claimed !== 'string' || !(await nonceIsValid(deps, claimed))) return oauthError(400, 'invalid_nonce', 'ask /oid4vci/nonce for a c_nonce and sign it in the proof');
    const verified = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: metadata, jwt: proof, expectedNonce: claimed, now: new Date(deps.clock.now()) });
    if (verified.signer.method !== 'jwk') return oauthError(400, 'invalid_proof', 'the proof must carry the wallet key as jwk');
    holderKey = verified.signer.publicJwk;
  } catch (error) {
    return oauthError(400, 'invalid_proof', (error as Error).message.slice(0, 300));
  }
  const entry = await catalogueEntry(deps, doc.rncp);
  if (!entry) return oauthError(400, 'invalid_credential_request', 'this certification is unknown');
  const person = (await deps.vault.get(doc.candidateId)) ?? {};
  const titles = [...entry.version.blocs, ...entry.version.ccs];
  const sdJwt = await issueSdJwtVc(deps, {
    configurationId: expected,
    holderKey,
    person,
    certificate: { code: doc.code, issuedOn: doc.issuedOn, blocs: doc.blocs.map((b) => ({ code: b, title: titles.find((t) => t.code === b)?.title ?? b })) },
    certification: {
      rncp: entry.version.rncp,
      title: entry.version.title,
      level: entry.version.level,
      certifier: entry.version.certifier,
      certifierDid: issuerDid(deps.publicBaseUrl, entry.version.certifier),
      sdJwtIssuer: sdJwtIssuer(deps.publicBaseUrl, entry.version.certifier),
    },
    verificationUrl: verificationUrl(deps.publicBaseUrl, doc.code),
  });
  // OpenID4VCI 1.0's form (`credentials`), not the drafts' single `credential`.
  return answer(issuer.createCredentialResponse({ credentials: [{ credential: sdJwt }], credentialRequest: parsed }));
}

export const route = defineRoute({
  summary:
    'OpenID4VCI endpoints: token (form: grant_type=urn:ietf:params:oauth:grant-type:pre-authorized_code, pre-authorized_code), nonce, credential (the SD-JWT VC bound to the wallet key)',
  params: z.object({ endpoint: z.enum(['token', 'nonce', 'credential']) }),
  response: { status: 200, schema: z.record(z.string(), z.unknown()) },
  async handle({ params, ctx }, deps) {
    if (params.endpoint === 'token') return token(ctx.request, deps);
    if (params.endpoint === 'nonce') return nonce(deps);
    return credential(ctx.request, deps);
  },
});

export const handler = lambdaHandler('wallet/oid4vci-endpoint', route);
