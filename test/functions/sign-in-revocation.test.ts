import 'aws-sdk-client-mock-vitest/extend';
import { AdminUserGlobalSignOutCommand, InternalErrorException } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInRefusal } from '../../functions/accounts/sign-ins.js';
import { localTokenKeys, signLocalToken } from '../../functions/local/local-token.js';
import type { SignIns } from '../../functions/ports/sign-in-records.js';
import { CognitoAccountDirectory } from '../../functions/adapters/cognito-account-directory.js';
import type { MemoryAccountDirectory } from '../../functions/adapters/memory-account-directory.js';
import type { Role } from '../../functions/shared/auth.js';
import { callRoute, claimsOf, commitCount, type Call } from '../support/call-route.js';
import { mockCognito } from '../support/cognito-mock.js';
import { memoryDeps } from '../support/memory-deps.js';
import { scenario } from '../support/scenario.js';

const RNCP = 'RNCP38665';
const agent: Call['as'] = ['dreets', 'agent-1', 'Bretagne'];

/** The claims API Gateway hands over for a token of that account, issued `secondsAgo` before now (system clock). */
const tokenOf = (account: { sub: string; group: Role; ledgerId: string }, secondsAgo = 60) => ({
  sub: account.sub,
  'cognito:groups': `[${account.group}]`,
  'custom:ledger_id': account.ledgerId,
  token_use: 'id',
  // As the JWT authorizer passes it: a string of seconds.
  iat: String(Math.floor(Date.now() / 1000) - secondsAgo),
});

/** A token of the id the token command gives a role and ledger id (no account of the directory), issued now. */
const callerClaims = (as: [string, string]) => ({ ...claimsOf(as), iat: String(Math.floor(Date.now() / 1000)) });

describe('a disabled account’s tokens are refused by the ledger (issue 17)', () => {
  let h: Awaited<ReturnType<typeof memoryDeps>>;
  let directory: MemoryAccountDirectory;
  let centreId: string;
  let jurorId: string;
  let candidateId: string;

  const call = (method: string, path: string, as: Call['as'], body?: unknown) => callRoute(h.deps, method, path, { as, body });
  const withToken = (method: string, path: string, claims: Record<string, unknown>, body?: unknown) => callRoute(h.deps, method, path, { claims, body });

  /** 401 sign-in-revoked as problem+json, and nothing appended. */
  const revoked = async (method: string, path: string, claims: Record<string, unknown>, body?: unknown) => {
    await h.settle();
    const commits = await commitCount(h.deps);
    const res = await withToken(method, path, claims, body);
    expect(res.status, res.text).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.type).toBe('/problems/sign-in-revoked');
    expect(await commitCount(h.deps)).toBe(commits);
  };

  beforeAll(async () => {
    h = await memoryDeps();
    directory = h.deps.accounts as MemoryAccountDirectory;
    const s = scenario((method, path, opts = {}) => call(method, path, opts.as, opts.body));
    centreId = await s.centre(RNCP, { validUntil: '2027-12-31', region: 'Bretagne' });
    jurorId = (await s.jurors(RNCP, 1, { validUntil: '2027-12-31' }))[0]!;
    candidateId = await s.candidate(centreId, 'Alpha');
    await h.settle();
  });

  const invite = async (path: string, as: Call['as'], email: string) => {
    expect((await call('POST', path, as, { email })).status).toBe(201);
    return (await h.deps.accounts.find(email))!;
  };

  it.each([
    ['centre', () => `/centres/${centreId}/accounts`, () => agent, () => `/centres/${centreId}/sessions`],
    ['juror', () => `/jurors/${jurorId}/accounts`, () => agent, () => `/jurors/${jurorId}/sessions`],
    ['candidate', () => `/candidates/${candidateId}/accounts`, (): Call['as'] => ['centre', centreId], () => `/candidates/${candidateId}/record`],
  ] as const)('a %s’s account disabled: its token, valid before, is 401 sign-in-revoked at once; its other accounts keep working', async (group, accounts, by, read) => {
    const leaving = await invite(accounts(), by(), `depart.${group}@exemple.fr`);
    const staying = await invite(accounts(), by(), `reste.${group}@exemple.fr`);
    expect(leaving.sub).not.toBe(staying.sub);
    const token = tokenOf(leaving);
    expect((await withToken('GET', read(), token)).status).toBe(200);

    expect((await call('DELETE', `${accounts()}/${encodeURIComponent(leaving.email)}`, by())).status).toBe(204);
    await revoked('GET', read(), token);
    expect(directory.signedOut).toContain(leaving.sub);
    // The same ledger id through another account: untouched.
    expect((await withToken('GET', read(), tokenOf(staying))).status).toBe(200);
  });

  it('refused whenever issued while the account is disabled, a write too; invited again, only a new sign-in’s tokens pass', async () => {
    const account = await invite(`/centres/${centreId}/accounts`, agent, 'retour@exemple.fr');
    const before = tokenOf(account);
    expect((await call('DELETE', `/centres/${centreId}/accounts/retour%40exemple.fr`, agent)).status).toBe(204);
    const { iat: _, ...withoutIat } = tokenOf(account);
    await revoked('GET', `/centres/${centreId}/sessions`, withoutIat);
    await revoked('GET', `/centres/${centreId}/sessions`, tokenOf(account, -600));
    // A write: refused, nothing appended, nothing stored.
    await revoked('POST', '/candidates', before, { familyName: 'Durand', givenNames: 'Paul', birthDate: '1990-01-02' });
    // The inviter lets the person back in: the account enabled; a token issued before the disabling (one that leaked)
    // stays refused, one of a sign-in after it passes.
    await invite(`/centres/${centreId}/accounts`, agent, 'retour@exemple.fr');
    await revoked('GET', `/centres/${centreId}/sessions`, before);
    await revoked('GET', `/centres/${centreId}/sessions`, withoutIat);
    expect((await withToken('GET', `/centres/${centreId}/sessions`, tokenOf(account, -2))).status).toBe(200);
  });

  it('disabling again: 204, the token still refused, the sign-out asked again (a retry finishes what failed)', async () => {
    const account = await invite(`/jurors/${jurorId}/accounts`, agent, 'deux.fois@exemple.fr');
    expect((await call('DELETE', `/jurors/${jurorId}/accounts/deux.fois%40exemple.fr`, agent)).status).toBe(204);
    expect((await call('DELETE', `/jurors/${jurorId}/accounts/deux.fois%40exemple.fr`, agent)).status).toBe(204);
    await revoked('GET', `/jurors/${jurorId}/sessions`, tokenOf(account));
    expect(directory.signedOut.filter((s) => s === account.sub)).toHaveLength(2);
  });

  it('erasure disables and signs out the candidate’s accounts, refuses every token of the candidate, and a retry changes nothing more', async () => {
    const s = scenario((method, path, opts = {}) => call(method, path, opts.as, opts.body));
    const erased = await s.candidate(centreId, 'Gamma');
    const first = await invite(`/candidates/${erased}/accounts`, ['centre', centreId], 'gamma@exemple.fr');
    const second = await invite(`/candidates/${erased}/accounts`, ['centre', centreId], 'gamma.pro@exemple.fr');
    expect((await withToken('GET', `/candidates/${erased}/record`, tokenOf(first))).status).toBe(200);

    expect((await call('DELETE', `/candidates/${erased}/personal-data`, agent)).status).toBe(204);
    for (const account of [first, second]) {
      expect((await h.deps.accounts.find(account.email))?.status).toBe('disabled');
      expect(directory.signedOut.filter((s) => s === account.sub)).toHaveLength(1);
      await revoked('GET', `/candidates/${erased}/record`, tokenOf(account));
      // Whenever issued: an erased person signs in no more.
      await revoked('GET', `/candidates/${erased}/record`, tokenOf(account, -3600));
    }
    // A token of the candidate's id minted otherwise (`npm run token`) too.
    await revoked('GET', `/candidates/${erased}/record`, callerClaims(['candidate', erased]));

    const signedOut = directory.signedOut.length;
    expect((await call('DELETE', `/candidates/${erased}/personal-data`, agent)).status).toBe(204);
    expect(directory.signedOut.length).toBe(signedOut);
  });

  it('erasure of a candidate who never had an account: 204, again 204, and their tokens refused', async () => {
    const s = scenario((method, path, opts = {}) => call(method, path, opts.as, opts.body));
    const erased = await s.candidate(centreId, 'Delta');
    const signedOut = directory.signedOut.length;
    expect((await call('DELETE', `/candidates/${erased}/personal-data`, agent)).status).toBe(204);
    expect((await call('DELETE', `/candidates/${erased}/personal-data`, agent)).status).toBe(204);
    expect(directory.signedOut.length).toBe(signedOut);
    await revoked('GET', `/candidates/${erased}/record`, callerClaims(['candidate', erased]));
  });

  it('an account disabled (and signed out) before the erasure is left as it is; its token stays refused', async () => {
    const s = scenario((method, path, opts = {}) => call(method, path, opts.as, opts.body));
    const erased = await s.candidate(centreId, 'Epsilon');
    const account = await invite(`/candidates/${erased}/accounts`, ['centre', centreId], 'epsilon@exemple.fr');
    expect((await call('DELETE', `/candidates/${erased}/accounts/epsilon%40exemple.fr`, ['centre', centreId])).status).toBe(204);
    expect((await call('DELETE', `/candidates/${erased}/personal-data`, agent)).status).toBe(204);
    expect((await call('DELETE', `/candidates/${erased}/personal-data`, agent)).status).toBe(204);
    expect(directory.signedOut.filter((s) => s === account.sub)).toHaveLength(1);
    await revoked('GET', `/candidates/${erased}/record`, tokenOf(account));
  });
});

describe('Cognito failing to sign an account out (aws-sdk-client-mock)', () => {
  it('the disabling answers 500, the ledger already refuses the token, and a retry signs it out', async () => {
    const h = await memoryDeps();
    const cognito = mockCognito();
    // Only the account directory is Cognito here: the failure path of its last call, through the routes.
    h.deps.accounts = new CognitoAccountDirectory(cognito.client, cognito.userPoolId);
    const s = scenario((method, path, opts = {}) => callRoute(h.deps, method, path, { as: opts.as, body: opts.body }));
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31', region: 'Bretagne' });
    await h.settle();
    expect((await callRoute(h.deps, 'POST', `/centres/${centreId}/accounts`, { as: agent, body: { email: 'panne@exemple.fr' } })).status).toBe(201);
    const account = (await h.deps.accounts.find('panne@exemple.fr'))!;
    const token = tokenOf(account);

    cognito.mock.on(AdminUserGlobalSignOutCommand).rejectsOnce(new InternalErrorException({ message: 'boom', $metadata: {} }));
    const failed = await callRoute(h.deps, 'DELETE', `/centres/${centreId}/accounts/panne%40exemple.fr`, { as: agent });
    expect(failed.status).toBe(500);
    expect(failed.json.type).toBe('/problems/internal-error');
    expect((await h.deps.accounts.find('panne@exemple.fr'))?.status).toBe('disabled');
    const refused = await callRoute(h.deps, 'GET', `/centres/${centreId}/sessions`, { claims: token });
    expect(refused.status).toBe(401);
    expect(refused.json.type).toBe('/problems/sign-in-revoked');
    expect(cognito.signedOut).toEqual([]);

    expect((await callRoute(h.deps, 'DELETE', `/centres/${centreId}/accounts/panne%40exemple.fr`, { as: agent })).status).toBe(204);
    // Asked twice: the failed call and the retry's, which answered (the mock's once-failure gives way to its default).
    expect(cognito.mock).toHaveReceivedCommandTimes(AdminUserGlobalSignOutCommand, 2);
    expect(cognito.mock).toHaveReceivedNthCommandWith(AdminUserGlobalSignOutCommand, 2, { UserPoolId: cognito.userPoolId, Username: account.sub });
  });
});

describe('signInRefusal: the one answer of the sign-in record (functions/accounts/sign-ins.ts)', () => {
  const at = 1_767_225_600;
  const given = (record: SignIns | undefined) => ({
    when: (token: { sub: string; issuedAt?: number }) => ({ thenAnswer: (answer: ReturnType<typeof signInRefusal>) => expect(signInRefusal(record, token)).toBe(answer) }),
  });

  it('no record: nothing refused', () => given(undefined).when({ sub: 'a', issuedAt: at }).thenAnswer(undefined));
  it('another account of the ledger id disabled: this one passes', () =>
    given({ accounts: { b: { disabled: true, revokedBefore: at } } })
      .when({ sub: 'a', issuedAt: at })
      .thenAnswer(undefined));
  it('the account disabled: refused, whenever its token was issued', () => {
    given({ accounts: { a: { disabled: true, revokedBefore: at } } })
      .when({ sub: 'a', issuedAt: at + 3600 })
      .thenAnswer('disabled');
    given({ accounts: { a: { disabled: true } } })
      .when({ sub: 'a', issuedAt: at })
      .thenAnswer('disabled');
  });
  it('invited again: a token issued in the disabling’s second or before is refused, a later one passes; one without iat is refused', () => {
    const record: SignIns = { accounts: { a: { disabled: false, revokedBefore: at } } };
    given(record).when({ sub: 'a', issuedAt: at }).thenAnswer('disabled');
    given(record)
      .when({ sub: 'a', issuedAt: at - 60 })
      .thenAnswer('disabled');
    given(record).when({ sub: 'a' }).thenAnswer('disabled');
    given(record)
      .when({ sub: 'a', issuedAt: at + 1 })
      .thenAnswer(undefined);
  });
  it('the person erased: every token of the ledger id refused, an account never recorded too, before any account rule', () => {
    const record: SignIns = { accounts: { a: { disabled: false } }, erased: true };
    given(record).when({ sub: 'a', issuedAt: at }).thenAnswer('erased');
    given(record).when({ sub: 'minted-by-the-token-command' }).thenAnswer('erased');
  });
});

describe('the local token command and the request path ask the sign-in record the same question (issue 17, review)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sign-in-refusal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('for an account enabled, disabled, invited again, and an erased candidate’s: the token refused exactly when the command gives none', async () => {
    const h = await memoryDeps();
    const keys = await localTokenKeys(dir);
    h.deps.localTokens = { sign: (role, ledgerId, account = {}) => signLocalToken(keys, role, ledgerId, account.sub ? { sub: account.sub } : {}) };
    const call = (method: string, path: string, as: Call['as'], body?: unknown) => callRoute(h.deps, method, path, { as, body });
    const s = scenario((method, path, opts = {}) => call(method, path, opts.as, opts.body));
    const centreId = await s.centre(RNCP, { validUntil: '2027-12-31', region: 'Bretagne' });
    const candidateId = await s.candidate(centreId, 'Zeta');
    await h.settle();
    for (const [path, as, email] of [
      [`/centres/${centreId}/accounts`, agent, 'active@exemple.fr'],
      [`/centres/${centreId}/accounts`, agent, 'parti@exemple.fr'],
      [`/centres/${centreId}/accounts`, agent, 'revenu@exemple.fr'],
      [`/candidates/${candidateId}/accounts`, ['centre', centreId], 'zeta@exemple.fr'],
    ] as const)
      expect((await call('POST', path, as as Call['as'], { email })).status).toBe(201);
    expect((await call('DELETE', `/centres/${centreId}/accounts/parti%40exemple.fr`, agent)).status).toBe(204);
    expect((await call('DELETE', `/centres/${centreId}/accounts/revenu%40exemple.fr`, agent)).status).toBe(204);
    expect((await call('POST', `/centres/${centreId}/accounts`, agent, { email: 'revenu@exemple.fr' })).status).toBe(201);
    expect((await call('DELETE', `/candidates/${candidateId}/personal-data`, agent)).status).toBe(204);

    const answers: Record<string, { command: number; type?: string; request?: number }> = {};
    for (const [email, read] of [
      ['active@exemple.fr', `/centres/${centreId}/sessions`],
      ['parti@exemple.fr', `/centres/${centreId}/sessions`],
      ['revenu@exemple.fr', `/centres/${centreId}/sessions`],
      ['zeta@exemple.fr', `/candidates/${candidateId}/record`],
    ] as const) {
      const account = (await h.deps.accounts.find(email))!;
      // The token the request path would get had the command signed one now (as API Gateway hands `iat`: a string).
      const claimsNow = { ...tokenOf(account, 0), iat: String(Math.floor(Date.now() / 1000)) };
      const request = await withClaims(h, read, claimsNow);
      const command = await callRoute(h.deps, 'POST', '/_local/tokens', { body: { email } });
      answers[email] = { command: command.status, ...(command.status === 200 ? {} : { type: command.json.type }), request: request.status };
      if (command.status === 200) {
        // The token it gave carries the account's own sub and is accepted.
        const claims = decodeJwt(command.json.token as string);
        expect(claims.sub).toBe(account.sub);
        expect((await withClaims(h, read, { ...claims, 'cognito:groups': `[${account.group}]`, iat: String(claims.iat) })).status, email).toBe(200);
      }
      expect(command.status === 200, `${email}: the command gives a token exactly when a token issued now passes`).toBe(request.status === 200);
    }
    expect(answers['active@exemple.fr']).toEqual({ command: 200, request: 200 });
    expect(answers['parti@exemple.fr']).toEqual({ command: 403, type: '/problems/account-disabled', request: 401 });
    expect(answers['zeta@exemple.fr']).toEqual({ command: 403, type: '/problems/personal-data-erased', request: 401 });
    // Invited again: the same answer both ways (a token of the disabling's very second is refused by both).
    expect([200, 403]).toContain(answers['revenu@exemple.fr']!.command);
  });
});

const withClaims = (h: Awaited<ReturnType<typeof memoryDeps>>, path: string, claims: Record<string, unknown>) => callRoute(h.deps, 'GET', path, { claims });
