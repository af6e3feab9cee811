import { beforeAll, describe, expect, it } from 'vitest';
import { kmsSigningKeys } from '../../functions/adapters/kms-signer.js';
import { signingKeysOf } from '../../infra/ledger-app.js';
import { accessOf } from '../../infra/function-access.js';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import { type CfnResourceJson, logicalIdOf, type Statement, statementsOfRole, SYNTH_TIMEOUT, synthesize } from './support.js';

// Two rotations: the third key signs, the first two stay listed in the JWKS (issue 18).
const RETIRED = [
  { keyArn: 'arn:aws:kms:eu-west-3:111122223333:key/11111111-2222-4333-8444-555555555555', validUntil: '2026-01-01T00:00:00.000Z' },
  {
    keyArn: 'arn:aws:kms:eu-west-3:111122223333:key/66666666-7777-4888-9999-aaaaaaaaaaaa',
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2027-01-01T00:00:00.000Z',
  },
];

const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const allows = (statements: Statement[], action: string) =>
  statements.filter((s) => s.Effect === 'Allow' && (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action)).flatMap(resourcesOf);

describe('signing key rotation: the JWKS lists every key, and whoever publishes it may read each public key (issue 18)', () => {
  let stack: LedgerStack;
  let resources: Record<string, CfnResourceJson>;
  beforeAll(() => {
    // As `cdk deploy -c` passes them: strings.
    ({ stack, resources } = synthesize({
      context: { 'ledger:signingKeyGeneration': '3', 'ledger:retiredSigningKeys': JSON.stringify(RETIRED) },
      stack: { web: false },
    }));
  }, SYNTH_TIMEOUT);

  const signingModules = () => [...stack.functions.all().keys()].filter((m) => accessOf(m).signing);

  it('a rotation makes a new key; the one signing key of the stack is the current one', () => {
    const signingKeys = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::KMS::Key' && r.Properties.KeyUsage === 'SIGN_VERIFY');
    expect(signingKeys.map(([id]) => id)).toEqual([logicalIdOf(stack, stack.keys.signing)]);
    expect(signingKeys[0]![0]).toMatch(/Signing3/);
  });

  it('every key the signer of each function lists (its SIGNING_KEY_ID and SIGNING_KEY_HISTORY) has kms:GetPublicKey; only the current one kms:Sign', () => {
    const current = { 'Fn::GetAtt': [logicalIdOf(stack, stack.keys.signing), 'Arn'] };
    expect(signingModules()).toContain('certificates/get-jwks');
    for (const module of signingModules()) {
      const fn = stack.functions.all().get(module)!;
      const variables = resources[logicalIdOf(stack, fn.handler)]!.Properties.Environment.Variables;
      // The keys as the function's signer reads them at cold start: the current one (a Ref here) and the history.
      const listed = kmsSigningKeys({ SIGNING_KEY_ID: 'current', SIGNING_KEY_HISTORY: variables.SIGNING_KEY_HISTORY });
      expect(listed.map((k) => k.keyId)).toEqual([...RETIRED.map((k) => k.keyArn), 'current']);
      expect(listed.slice(0, 2).map((k) => k.validUntil)).toEqual(RETIRED.map((k) => k.validUntil));
      const statements = statementsOfRole(resources, logicalIdOf(stack, fn.role));
      const readable = allows(statements, 'kms:GetPublicKey');
      for (const { keyArn } of RETIRED) expect(readable, `${module}: GetPublicKey on ${keyArn}`).toContainEqual(keyArn);
      expect(readable, `${module}: GetPublicKey on the current key`).toContainEqual(current);
      const signs = allows(statements, 'kms:Sign');
      expect(signs, `${module}: kms:Sign on the current key only`).toEqual(accessOf(module).signing === 'sign' ? [current] : []);
    }
  });

  it('no function without signing access reads any signing key', () => {
    const keys = [...RETIRED.map((k) => k.keyArn), JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack, stack.keys.signing), 'Arn'] })];
    for (const [module, fn] of stack.functions.all()) {
      if (accessOf(module).signing) continue;
      const granted = statementsOfRole(resources, logicalIdOf(stack, fn.role))
        .flatMap(resourcesOf)
        .map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
      expect(
        granted.filter((r) => keys.includes(r)),
        module,
      ).toEqual([]);
    }
  });

  it('the context is checked: retired keys need a raised generation, ARNs and instants are validated', () => {
    expect(signingKeysOf(undefined, undefined)).toEqual({ signingGeneration: 1, retiredSigning: [] });
    expect(() => signingKeysOf(undefined, RETIRED)).toThrow(/raise ledger:signingKeyGeneration/);
    expect(() => signingKeysOf('2', [{ keyArn: 'alias/old', validUntil: '2026-01-01T00:00:00.000Z' }])).toThrow(/retiredSigningKeys/);
    expect(() => signingKeysOf('2', [{ keyArn: RETIRED[0]!.keyArn }])).toThrow(/retiredSigningKeys/);
    expect(() => signingKeysOf('0', [])).toThrow(/positive integer/);
  });
});
