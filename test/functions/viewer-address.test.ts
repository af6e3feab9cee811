import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { route as verifyCertificate } from '../../functions/certificates/verify-certificate.js';
import { route as listVerifications } from '../../functions/certificates/list-verifications.js';
import { SecretsManagerOriginSecrets } from '../../functions/adapters/secrets-manager-origin-secrets.js';
import { lambdaHandler } from '../../functions/shared/lambda.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import { clientAddress, ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER, viewerIpOf } from '../../functions/shared/viewer-address.js';
import { memoryDeps } from '../support/memory-deps.js';

const SECRET = 'k'.repeat(48);
const PREVIOUS = 'p'.repeat(48);
const EDGE = '130.176.1.20';
const VIEWER = '203.0.113.7';

describe('the viewer address, trusted only with the origin secret (issue 18)', () => {
  it('reads CloudFront-Viewer-Address for IPv4 and IPv6, and refuses anything else', () => {
    expect(viewerIpOf('203.0.113.7:46532')).toBe('203.0.113.7');
    expect(viewerIpOf('2001:db8:85a3::8a2e:370:7334:46532')).toBe('2001:db8:85a3::8a2e:370:7334');
    expect(viewerIpOf('[2001:db8::1]:443')).toBe('2001:db8::1');
    for (const bad of [undefined, '', '203.0.113.7', 'evil:1', '203.0.113.7:port', '999.1.1.1:80', ':80']) expect(viewerIpOf(bad)).toBeUndefined();
  });

  it('believes the header only with an accepted secret', () => {
    const headers = (secret?: string) => ({ [VIEWER_ADDRESS_HEADER]: `${VIEWER}:5000`, ...(secret === undefined ? {} : { [ORIGIN_SECRET_HEADER]: secret }) });
    expect(clientAddress(headers(SECRET), EDGE, [SECRET])).toBe(VIEWER);
    expect(clientAddress(headers(PREVIOUS), EDGE, [SECRET, PREVIOUS])).toBe(VIEWER);
    expect(clientAddress(headers(), EDGE, [SECRET])).toBe(EDGE);
    expect(clientAddress(headers('wrong'), EDGE, [SECRET])).toBe(EDGE);
    expect(clientAddress(headers(`${SECRET}x`), EDGE, [SECRET])).toBe(EDGE);
    expect(clientAddress(headers(''), EDGE, [''])).toBe(EDGE);
    expect(clientAddress(headers(SECRET), EDGE, [])).toBe(EDGE);
    expect(clientAddress({ [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: 'garbage' }, EDGE, [SECRET])).toBe(EDGE);
  });
});

/** API Gateway's event for GET `path`, from `sourceIp`. */
const event = (path: string, sourceIp: string, headers: Record<string, string>, pathParameters: Record<string, string>) =>
  ({
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    pathParameters,
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp, userAgent: 'test' }, requestId: 'r-1' },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

async function ledgerCountingKeys(accepted: () => Promise<readonly string[]>) {
  const h = await memoryDeps();
  const keys: string[] = [];
  let reads = 0;
  const limiter = h.deps.rateLimiter;
  const deps: LedgerDeps = {
    ...h.deps,
    originSecrets: {
      accepted: () => {
        reads++;
        return accepted();
      },
    },
    rateLimiter: {
      limit: limiter.limit,
      windowSeconds: limiter.windowSeconds,
      take: (key, now, hits) => {
        keys.push(key);
        return limiter.take(key, now, hits);
      },
    },
  };
  return { deps, keys, reads: () => reads };
}

describe('GET /verify/{code} through its Lambda entry: whom the rate limiter counts', () => {
  const call = async (headers: Record<string, string>, accepted: () => Promise<readonly string[]> = async () => [SECRET]) => {
    const ledger = await ledgerCountingKeys(accepted);
    const handler = lambdaHandler('certificates/verify-certificate', verifyCertificate, () => ledger.deps);
    const response = await handler(event('/verify/TP-7K3M-9QX2-HB4R', EDGE, headers, { code: 'TP-7K3M-9QX2-HB4R' }));
    return { status: (response as { statusCode: number }).statusCode, keys: ledger.keys, reads: ledger.reads() };
  };

  it('with the secret, the viewer CloudFront names', async () => {
    const { status, keys } = await call({ [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: `${VIEWER}:46532` });
    expect(status).toBe(404);
    expect(keys).toEqual([`public#${VIEWER}`]);
  });

  it('without the header, or with a wrong secret, the source IP: a caller cannot choose its own key', async () => {
    const without = await call({ [VIEWER_ADDRESS_HEADER]: `${VIEWER}:46532` });
    expect(without.keys).toEqual([`public#${EDGE}`]);
    expect(without.reads).toBe(0);
    const wrong = await call({ [ORIGIN_SECRET_HEADER]: 'guessed-secret', [VIEWER_ADDRESS_HEADER]: `${VIEWER}:46532` });
    expect(wrong.keys).toEqual([`public#${EDGE}`]);
  });

  it('when the secret cannot be read, the source IP, and no 5xx', async () => {
    const { status, keys } = await call({ [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: `${VIEWER}:46532` }, async () => {
      throw new Error('AccessDenied');
    });
    expect(status).toBe(404);
    expect(keys).toEqual([`public#${EDGE}`]);
  });

  it('a route that is not public never reads the secret', async () => {
    const ledger = await ledgerCountingKeys(async () => [SECRET]);
    const handler = lambdaHandler('certificates/list-verifications', listVerifications, () => ledger.deps);
    await handler(event('/certificates/TP-7K3M-9QX2-HB4R/verifications', EDGE, { [ORIGIN_SECRET_HEADER]: SECRET }, { code: 'TP-7K3M-9QX2-HB4R' }));
    expect(ledger.reads()).toBe(0);
  });
});

describe('the origin secret in Secrets Manager', () => {
  it('accepts the current, pending and previous values, reads them once per five minutes, and tries again after a failure', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({ SecretString: JSON.stringify({ value: SECRET }) });
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSPENDING' }).rejects(new ResourceNotFoundException({ message: 'no pending', $metadata: {} }));
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).resolves({ SecretString: JSON.stringify({ value: PREVIOUS }) });
    let now = 0;
    const secrets = new SecretsManagerOriginSecrets(new SecretsManagerClient({ region: 'eu-west-3' }), 'arn:secret', () => now);
    expect(await secrets.accepted()).toEqual([SECRET, PREVIOUS]);
    now += 60_000;
    await secrets.accepted();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    now += 5 * 60_000;
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).rejects(new Error('throttled'));
    await expect(secrets.accepted()).rejects.toThrow('throttled');
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({ SecretString: JSON.stringify({ value: SECRET }) });
    expect(await secrets.accepted()).toEqual([SECRET, PREVIOUS]);
    sm.restore();
  });

  it('a missing current value is an error, not an empty list that would trust nobody silently', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    await expect(new SecretsManagerOriginSecrets(new SecretsManagerClient({ region: 'eu-west-3' }), 'arn:secret').accepted()).rejects.toThrow('gone');
    sm.restore();
  });
});

describe('behind CloudFront (API_BEHIND_CLOUDFRONT, a production stage): requests around the distribution are refused', () => {
  const call = async (module: 'verify' | 'list', headers: Record<string, string>, accepted: () => Promise<readonly string[]> = async () => [SECRET]) => {
    const ledger = await ledgerCountingKeys(accepted);
    const handler =
      module === 'verify'
        ? lambdaHandler('certificates/verify-certificate', verifyCertificate, () => ledger.deps)
        : lambdaHandler('certificates/list-verifications', listVerifications, () => ledger.deps);
    const path = module === 'verify' ? '/verify/TP-7K3M-9QX2-HB4R' : '/certificates/TP-7K3M-9QX2-HB4R/verifications';
    const response = (await handler(event(path, EDGE, headers, { code: 'TP-7K3M-9QX2-HB4R' }))) as { statusCode: number; headers: Record<string, string>; body: string };
    return {
      status: response.statusCode,
      type: response.statusCode >= 400 ? (JSON.parse(response.body) as { type: string }).type : undefined,
      keys: ledger.keys,
      contentType: response.headers['content-type'],
    };
  };
  const behind = async <T>(run: () => Promise<T>) => {
    process.env.API_BEHIND_CLOUDFRONT = 'true';
    try {
      return await run();
    } finally {
      delete process.env.API_BEHIND_CLOUDFRONT;
    }
  };

  it('given no secret or a wrong one, when a public or an authenticated route is called, then 403 not-through-cloudfront and nothing is read', async () => {
    for (const module of ['verify', 'list'] as const) {
      for (const headers of [{}, { [ORIGIN_SECRET_HEADER]: 'guessed-secret' }] as Record<string, string>[]) {
        const refused = await behind(() => call(module, headers));
        expect(refused.status, module).toBe(403);
        expect(refused.type, module).toMatch(/not-through-cloudfront$/);
        expect(refused.contentType).toBe('application/problem+json');
        expect(refused.keys).toEqual([]);
      }
    }
  });

  it('given the secret, the request is served as usual (and the viewer counted)', async () => {
    const served = await behind(() => call('verify', { [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: `${VIEWER}:46532` }));
    expect(served.status).toBe(404);
    expect(served.keys).toEqual([`public#${VIEWER}`]);
  });

  it('given the secret cannot be read, 503 (fail closed), never served', async () => {
    const unavailable = await behind(() =>
      call('verify', { [ORIGIN_SECRET_HEADER]: SECRET }, async () => {
        throw new Error('AccessDenied');
      }),
    );
    expect(unavailable.status).toBe(503);
    expect(unavailable.keys).toEqual([]);
  });

  it('without the variable (the twin, the local runtime, a development stage), no secret is needed', async () => {
    expect((await call('verify', {})).status).toBe(404);
  });
});
