import { build } from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsAdapters } from '../../functions/composition/aws-ledger.js';
import { parseAwsEnvironment } from '../../functions/composition/config.js';
import { grantDefines } from '../../infra/bundling/options.js';
import { accessOf, type FunctionAccess } from '../../infra/function-access.js';
import { projectRoot } from '../../infra/paths.js';
import { sampleAwsEnvironment } from './support.js';

// What a function's bundle carries, by its grants: built with the defines the stack gives that function, not minified
// so that its classes keep their names, and esbuild's own account (metafile) of the bytes each module puts in it.
async function bytesByModule(module: string, access: FunctionAccess) {
  const { metafile, outputFiles } = await build({
    entryPoints: [join(projectRoot, 'functions', `${module}.ts`)],
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    outfile: 'out.mjs',
    metafile: true,
    format: 'esm',
    platform: 'node',
    external: ['@aws-sdk/*'],
    define: grantDefines(access),
    logLevel: 'silent',
  });
  const [output] = Object.values(metafile.outputs);
  const bytes = (pattern: RegExp) =>
    Object.entries(output!.inputs)
      .filter(([file]) => pattern.test(file))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const classes = [...outputFiles[0]!.text.matchAll(/^var (\w+) = class\b/gm)].map((m) => m[1]!);
  return { bytes, classes };
}

describe('a bundle carries the adapters of its grants only', () => {
  it('a route that appends carries no signer (nor jose), vault, S3, Cognito, SES, Scheduler or Step Functions adapter', async () => {
    const { bytes, classes } = await bytesByModule('sessions/enrol-candidate', accessOf('sessions/enrol-candidate', 'POST'));
    expect(classes).toContain('DynamoEventStore');
    for (const adapter of [
      'KmsSigner',
      'KmsKeyStore',
      'EncryptedPersonVault',
      'S3DocumentStore',
      'CognitoAccountDirectory',
      'SesNotifier',
      'EventBridgeScheduler',
      'SfnWorkflows',
      'DynamoAccessLog',
      'SecretsManagerOriginSecrets',
    ]) {
      expect(classes).not.toContain(adapter);
    }
    expect(bytes(/node_modules\/jose\//)).toBe(0);
  });

  it('a function granted signing and the vault carries their adapters', async () => {
    const { bytes, classes } = await bytesByModule('certificates/get-status-list', { readModels: 'read', signing: 'sign', vault: 'read' });
    expect(classes).toEqual(expect.arrayContaining(['KmsSigner', 'KmsKeyStore', 'EncryptedPersonVault']));
    expect(bytes(/node_modules\/jose\//)).toBeGreaterThan(0);
    expect(classes).not.toContain('CognitoAccountDirectory');
  });

  it('a name read carries the access log; only a rate-limited (public) route carries the origin secrets', async () => {
    const record = await bytesByModule('candidates/get-record', accessOf('candidates/get-record', 'GET'));
    expect(record.classes).toContain('DynamoAccessLog');
    expect(record.classes).not.toContain('SecretsManagerOriginSecrets');
    const verify = await bytesByModule('certificates/verify-certificate', accessOf('certificates/verify-certificate', 'GET'));
    expect(verify.classes).toContain('SecretsManagerOriginSecrets');
    expect(verify.classes).not.toContain('DynamoAccessLog');
  });

  it('only the routes granted the verification log or the rate limiter carry them, and flush the log', async () => {
    const reactions = await bytesByModule('reactions/react-to-change-feed', accessOf('reactions/react-to-change-feed'));
    expect(reactions.classes).not.toContain('DynamoVerificationLog');
    expect(reactions.classes).not.toContain('DynamoRateLimiter');
    expect(reactions.classes).not.toContain('LeasingRateLimiter');
    const verify = await bytesByModule('certificates/verify-certificate', accessOf('certificates/verify-certificate', 'GET'));
    expect(verify.classes).toEqual(expect.arrayContaining(['DynamoVerificationLog', 'LeasingRateLimiter', 'DynamoRateLimiter']));
    const list = await bytesByModule('certificates/list-verifications', accessOf('certificates/list-verifications', 'GET'));
    expect(list.classes).toContain('DynamoVerificationLog');
    expect(list.classes).not.toContain('LeasingRateLimiter');
    const record = await bytesByModule('candidates/get-record', accessOf('candidates/get-record', 'GET'));
    expect(record.classes).not.toContain('DynamoVerificationLog');
  });

  it('every port is denied or granted by name, from the one FunctionAccess', () => {
    expect(grantDefines({ signing: 'publicKey', accounts: 'invite', startsWorkflows: ['session'] })).toEqual({
      'process.env.LEDGER_BUNDLE_VAULT': '"denied"',
      'process.env.LEDGER_BUNDLE_DOCUMENTS': '"denied"',
      'process.env.LEDGER_BUNDLE_EXPORTS': '"denied"',
      'process.env.LEDGER_BUNDLE_SIGNER': '"granted"',
      'process.env.LEDGER_BUNDLE_NOTIFIER': '"denied"',
      'process.env.LEDGER_BUNDLE_ACCOUNTS': '"granted"',
      'process.env.LEDGER_BUNDLE_WORKFLOWS': '"granted"',
      'process.env.LEDGER_BUNDLE_SCHEDULER': '"denied"',
      'process.env.LEDGER_BUNDLE_ACCESS_LOG': '"denied"',
      'process.env.LEDGER_BUNDLE_ORIGIN_SECRETS': '"denied"',
      'process.env.LEDGER_BUNDLE_VERIFICATIONS': '"denied"',
      'process.env.LEDGER_BUNDLE_RATE_LIMIT': '"denied"',
    });
  });
});

describe('a port the function has no grant for', () => {
  it('refuses every call, naming the grant, as AWS would refuse it', async () => {
    process.env.LEDGER_BUNDLE_SIGNER = 'denied';
    try {
      const adapters = awsAdapters(parseAwsEnvironment({ AWS_REGION: 'eu-west-3', ...sampleAwsEnvironment() }));
      await expect(adapters.signer.sign(new Uint8Array([1]))).rejects.toThrow(/signer\.sign: this function has no grant for it \(infra\/function-access\.ts\)/);
      await expect(adapters.signer.publicKeys()).rejects.toThrow(/no grant/);
      expect(adapters.documents.constructor.name).toBe('S3DocumentStore');
    } finally {
      delete process.env.LEDGER_BUNDLE_SIGNER;
    }
  });
});
