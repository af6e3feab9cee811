import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZodError } from 'zod';
import { authorise, type AccessRequest, type Caller, type Decision, type ResourcePolicies } from './authorise.js';
import { KmsError, kmsRequests, type KmsOperation, type LocalKms } from './local-kms.js';
import { addressOf, ServiceError, sfnRequests, type TwinScheduler, type LocalSes, type LocalStepFunctions, type SfnOperation } from './local-services.js';
import { signedScope } from './sigv4.js';
import type { TableStream } from './stream-delivery.js';
import { signatureProblem } from '../local/stand-in-guard.js';
import type { Prepared } from './local-cognito.js';

/**
 * The one AWS endpoint every function of the twin talks to (AWS_ENDPOINT_URL): it reads who is calling from
 * the SigV4 credential scope (the access key id names the function), what is asked (X-Amz-Target for the
 * JSON protocols, method and path for S3 and the REST APIs) and on which resource, authorises that against
 * the function's role, then forwards to dynalite or s3rver, or serves it in process (KMS, Step Functions,
 * Scheduler, SES). A denial is answered as the service itself answers it.
 */

export interface GatewayOptions {
  region: string;
  account: string;
  /** By access key id (the function's physical name). */
  callers: Map<string, Caller>;
  /**
   * The secret every function signs with (random per data dir): a request whose SigV4 signature it does not give
   * is refused, so another local process cannot act as a function by naming it.
   */
  secret: string;
  resourcePolicies: ResourcePolicies;
  /** Where calls are forwarded once authorised; a service without one is answered by the twin or refused. */
  upstreams: { dynamodb?: string; s3?: string; 'cognito-idp'?: string };
  kms?: LocalKms;
  stepFunctions?: LocalStepFunctions;
  scheduler?: TwinScheduler;
  ses?: LocalSes;
  /** By table name: the streams of the tables whose template asks for one (dynalite has none). */
  streams?: Map<string, TableStream>;
  /**
   * A request as the upstream must see it to answer as AWS would (cognito-local reads an alias where Cognito
   * reads the account): applied after the call is authorised, before it is forwarded.
   */
  beforeForward?: Partial<Record<'cognito-idp', (operation: string, body: Buffer) => Promise<Prepared>>>;
  /** Each decision, allowed or not (the twin logs denials; tests read them). */
  onDecision?: (entry: { caller: string; request: AccessRequest; decision: Decision }) => void;
}

type Protocol = 'json' | 'rest-json' | 'rest-xml';

interface Call {
  protocol: Protocol;
  operation: string;
  checks: AccessRequest[];
  /** Answer in process; undefined: forward upstream. */
  serve?: () => unknown;
  upstream?: string;
  /**
   * S3 reads of one key: a missing key is NoSuchKey (404) only for a caller that may list the bucket, AccessDenied
   * (403) otherwise, as S3 answers (so an adapter that must tell them apart is tested here as on AWS).
   */
  listCheck?: AccessRequest;
  /** A write to a table with a stream: the item's key, so the gateway can record its change. */
  streamed?: { stream: TableStream; key: Record<string, unknown>; operation: 'PutItem' | 'UpdateItem' | 'DeleteItem'; item?: Record<string, unknown> };
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const json = (status: number, body: unknown, contentType = 'application/x-amz-json-1.0'): Reply => ({
  status,
  headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID() },
  body: Buffer.from(JSON.stringify(body)),
});

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** An error as the service's protocol carries it, so the SDK raises the same exception class as on AWS. */
export function awsError(protocol: Protocol, code: string, message: string, status?: number): Reply {
  const requestId = randomUUID();
  if (protocol === 'rest-xml') {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId><HostId>twin</HostId></Error>`;
    return { status: status ?? 403, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body: Buffer.from(body) };
  }
  if (protocol === 'rest-json') {
    return {
      status: status ?? 403,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId },
      body: Buffer.from(JSON.stringify({ Message: message, message })),
    };
  }
  return {
    status: status ?? 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId },
    body: Buffer.from(JSON.stringify({ __type: `com.amazon.coral.service#${code}`, message })),
  };
}

const ACCESS_DENIED: Record<Protocol, string> = { json: 'AccessDeniedException', 'rest-json': 'AccessDeniedException', 'rest-xml': 'AccessDenied' };

/** The body of an S3 upload sent `aws-chunked` (the SDK's default flexible checksums), as the plain bytes s3rver stores. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const parseJson = (body: Buffer): Record<string, unknown> => (body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});

/** An upstream is a URL, or `unix:<path>` for a stand-in serving a socket (functions/local/stand-in-guard.ts). */
const upstreamAt = (upstream: string) => {
  if (upstream.startsWith('unix:')) return { socketPath: upstream.slice('unix:'.length) };
  const url = new URL(upstream);
  return { host: url.hostname, port: url.port };
};
const hostOf = (upstream: string) => (upstream.startsWith('unix:') ? 'localhost' : new URL(upstream).host);

/**
 * The partition-key values of a DynamoDB request, by table name (every ledger table's partition key is `pk`,
 * infra/constructs/ledger-tables.ts): a Query's from its key condition, a batch's from each of its keys.
 * Undefined for an operation without keys (Scan, DescribeTable), which a LeadingKeys condition does not see either.
 */
export function leadingKeysOf(operation: string, input: Record<string, unknown>): Record<string, string[]> | undefined {
  type Item = Record<string, { S?: string } | undefined> | undefined;
  const pkOf = (item: Item) => (item?.pk?.S !== undefined ? [item.pk.S] : []);
  const table = typeof input.TableName === 'string' ? input.TableName : '';
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return { [table]: pkOf(input.Key as Item) };
    case 'PutItem':
      return { [table]: pkOf(input.Item as Item) };
    case 'Query': {
      const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
      const values = (input.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>;
      const found = [...String(input.KeyConditionExpression ?? '').matchAll(/(#?\w+)\s*=\s*(:\w+)/g)].find(([, name]) => (names[name!] ?? name) === 'pk');
      const value = found ? values[found[2]!]?.S : undefined;
      return { [table]: value === undefined ? [] : [value] };
    }
    case 'BatchGetItem':
      return Object.fromEntries(Object.entries((input.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>).map(([name, { Keys = [] }]) => [name, Keys.flatMap(pkOf)]));
    case 'BatchWriteItem':
      return Object.fromEntries(
        Object.entries((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>).map(([name, requests]) => [
          name,
          requests.flatMap((r) => pkOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key)),
        ]),
      );
    default:
      return undefined;
  }
}

export async function startAwsGateway(options: GatewayOptions) {
  const { region, account } = options;
  const tableArn = (name: string) => (name.startsWith('arn:') ? name : `arn:aws:dynamodb:${region}:${account}:table/${name}`);

  const dynamodb = (target: string, body: Buffer): Call => {
    const operation = target.slice(target.indexOf('.') + 1);
    const input = parseJson(body);
    const action = `dynamodb:${operation}`;
    let checks: AccessRequest[];
    if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
      checks = Object.keys((input.RequestItems as object | undefined) ?? {}).map((t) => ({ action, resource: tableArn(t) }));
    } else if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
      // A transaction needs the permission of each action it holds, on each table.
      const kinds: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
      checks = ((input.TransactItems as Record<string, { TableName?: string }>[] | undefined) ?? []).flatMap((item) =>
        Object.entries(item).map(([kind, spec]) => ({ action: `dynamodb:${kinds[kind] ?? kind}`, resource: tableArn(spec.TableName ?? '') })),
      );
    } else if (typeof input.TableName === 'string') {
      const index = typeof input.IndexName === 'string' ? `/index/${input.IndexName}` : '';
      checks = [{ action, resource: `${tableArn(input.TableName)}${index}` }];
    } else checks = [{ action, resource: '*' }];
    // The partition keys a request touches, as AWS gives them to a `dynamodb:LeadingKeys` condition.
    const leading = leadingKeysOf(operation, input);
    if (leading) checks = checks.map((check) => ({ ...check, context: { ...check.context, 'dynamodb:LeadingKeys': leading[check.resource.split('/')[1] ?? ''] ?? [] } }));
    const stream = typeof input.TableName === 'string' ? options.streams?.get(input.TableName) : undefined;
    let streamed: Call['streamed'];
    if (stream && (operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem')) {
      const source = (operation === 'PutItem' ? input.Item : input.Key) as Record<string, unknown> | undefined;
      const key = Object.fromEntries(stream.spec.keyNames.map((k) => [k, source?.[k]]));
      streamed = { stream, key, operation, ...(operation === 'PutItem' ? { item: input.Item as Record<string, unknown> } : {}) };
    }
    return { protocol: 'json', operation, checks, ...(options.upstreams.dynamodb ? { upstream: options.upstreams.dynamodb } : {}), ...(streamed ? { streamed } : {}) };
  };

  const kms = (target: string, body: Buffer): Call => {
    const operation = target.slice(target.indexOf('.') + 1);
    const local = options.kms;
    if (!local || !(operation in kmsRequests))
      return {
        protocol: 'json',
        operation,
        checks: [],
        serve: () => {
          throw new ServiceError('UnsupportedOperationException', `the twin's KMS does not serve ${operation}`);
        },
      };
    const input = parseJson(body);
    const op = operation as KmsOperation;
    let resource: string;
    try {
      resource =
        op === 'Decrypt' && typeof input.KeyId !== 'string'
          ? local.keyOfCiphertext(Buffer.from(String(input.CiphertextBlob ?? ''), 'base64')).arn
          : local.keyOf(String(input.KeyId ?? '')).arn;
    } catch (e) {
      return {
        protocol: 'json',
        operation,
        checks: [],
        serve: () => {
          throw e;
        },
      };
    }
    return { protocol: 'json', operation, checks: [{ action: `kms:${operation}`, resource }], serve: () => local.handle(op, input) };
  };

  const states = (target: string, body: Buffer): Call => {
    const operation = target.slice(target.indexOf('.') + 1);
    const local = options.stepFunctions;
    const input = parseJson(body);
    if (!local || !(operation in sfnRequests))
      return {
        protocol: 'json',
        operation,
        checks: [],
        serve: () => {
          throw new ServiceError('UnknownOperationException', `the twin's Step Functions does not serve ${operation}`);
        },
      };
    const resource = String(input.stateMachineArn ?? input.executionArn ?? '*');
    return { protocol: 'json', operation, checks: [{ action: `states:${operation}`, resource }], serve: () => local.handle(operation as SfnOperation, input) };
  };

  /** Cognito user pools (awsJson1_1): authorised on the pool, forwarded to a local Cognito when there is one. */
  const cognito = (target: string, body: Buffer): Call => {
    const operation = target.slice(target.indexOf('.') + 1);
    const input = parseJson(body);
    const resource = typeof input.UserPoolId === 'string' ? `arn:aws:cognito-idp:${region}:${account}:userpool/${input.UserPoolId}` : '*';
    const upstream = options.upstreams['cognito-idp'];
    return {
      protocol: 'json',
      operation,
      checks: [{ action: `cognito-idp:${operation}`, resource }],
      ...(upstream
        ? { upstream }
        : {
            serve: () => {
              throw new ServiceError('ServiceUnavailable', `the twin has no local Cognito yet to serve ${operation}`, 503);
            },
          }),
    };
  };

  const scheduler = (method: string, url: URL, body: Buffer): Call => {
    const local = options.scheduler;
    const name = decodeURIComponent(/^\/schedules\/([^/]+)$/.exec(url.pathname)?.[1] ?? '');
    const unknown = (): Call => ({
      protocol: 'rest-json',
      operation: `${method} ${url.pathname}`,
      checks: [],
      serve: () => {
        throw new ServiceError('ValidationException', `the twin's Scheduler does not serve ${method} ${url.pathname}`);
      },
    });
    if (!local || !name) return unknown();
    const input = body.length ? parseJson(body) : {};
    const group = String(input.GroupName ?? url.searchParams.get('groupName') ?? 'default');
    const resource = local.arnOf(group, name);
    const passRole = (): AccessRequest[] => {
      const roleArn = (input.Target as { RoleArn?: unknown } | undefined)?.RoleArn;
      return typeof roleArn === 'string' ? [{ action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } }] : [];
    };
    switch (method) {
      case 'POST':
        return {
          protocol: 'rest-json',
          operation: 'CreateSchedule',
          checks: [{ action: 'scheduler:CreateSchedule', resource }, ...passRole()],
          serve: () => local.create(name, input, false),
        };
      case 'PUT':
        return {
          protocol: 'rest-json',
          operation: 'UpdateSchedule',
          checks: [{ action: 'scheduler:UpdateSchedule', resource }, ...passRole()],
          serve: () => local.create(name, input, true),
        };
      case 'GET':
        return { protocol: 'rest-json', operation: 'GetSchedule', checks: [{ action: 'scheduler:GetSchedule', resource }], serve: () => local.get(group, name) };
      case 'DELETE':
        return { protocol: 'rest-json', operation: 'DeleteSchedule', checks: [{ action: 'scheduler:DeleteSchedule', resource }], serve: () => local.delete(group, name) };
      default:
        return unknown();
    }
  };

  const ses = (method: string, url: URL, body: Buffer, caller: string): Call => {
    const local = options.ses;
    if (!local || method !== 'POST' || url.pathname !== '/v2/email/outbound-emails') {
      return {
        protocol: 'rest-json',
        operation: `${method} ${url.pathname}`,
        checks: [],
        serve: () => {
          throw new ServiceError('BadRequestException', `the twin's SES does not serve ${method} ${url.pathname}`);
        },
      };
    }
    const input = parseJson(body);
    const from = typeof input.FromEmailAddress === 'string' ? addressOf(input.FromEmailAddress) : '';
    return {
      protocol: 'rest-json',
      operation: 'SendEmail',
      checks: [{ action: 'ses:SendEmail', resource: `arn:aws:ses:${region}:${account}:identity/${from}` }],
      serve: () => local.send(input, caller),
    };
  };

  const s3 = (method: string, url: URL, headers: IncomingHttpHeaders, body: Buffer): Call => {
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const q = url.searchParams;
    const bucketArn = `arn:aws:s3:::${bucket}`;
    const objectArn = `${bucketArn}/${key}`;
    const context = { 's3:TlsVersion': '1.3' };
    const on = (action: string, resource: string): AccessRequest => ({ action, resource, context });
    let operation: string;
    let checks: AccessRequest[];
    if (!bucket) [operation, checks] = ['ListBuckets', [on('s3:ListAllMyBuckets', '*')]];
    else if (!key) {
      if (method === 'POST' && q.has('delete')) {
        // DeleteObjects: AWS checks s3:DeleteObject on each key of the batch.
        const keys = [...body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
        [operation, checks] = ['DeleteObjects', keys.map((k) => on('s3:DeleteObject', `${bucketArn}/${k}`))];
      } else if (method === 'GET' && q.has('versions')) [operation, checks] = ['ListObjectVersions', [on('s3:ListBucketVersions', bucketArn)]];
      else if (method === 'GET' || method === 'HEAD') [operation, checks] = [method === 'HEAD' ? 'HeadBucket' : 'ListObjects', [on('s3:ListBucket', bucketArn)]];
      else [operation, checks] = [`${method} bucket`, [on(method === 'PUT' ? 's3:CreateBucket' : method === 'DELETE' ? 's3:DeleteBucket' : 's3:ListBucket', bucketArn)]];
    } else if (method === 'GET' || method === 'HEAD') {
      if (q.has('uploadId')) [operation, checks] = ['ListParts', [on('s3:ListMultipartUploadParts', objectArn)]];
      else if (q.has('tagging')) [operation, checks] = ['GetObjectTagging', [on('s3:GetObjectTagging', objectArn)]];
      else {
        [operation, checks] = [method === 'HEAD' ? 'HeadObject' : 'GetObject', [on(q.has('versionId') ? 's3:GetObjectVersion' : 's3:GetObject', objectArn)]];
        return { protocol: 'rest-xml', operation, checks, listCheck: on('s3:ListBucket', bucketArn), ...(options.upstreams.s3 ? { upstream: options.upstreams.s3 } : {}) };
      }
    } else if (method === 'PUT' || method === 'POST') {
      const source = headers['x-amz-copy-source'];
      const copy = typeof source === 'string' ? [on('s3:GetObject', `arn:aws:s3:::${decodeURIComponent(source.replace(/^\//, '').split('?')[0]!)}`)] : [];
      [operation, checks] = [copy.length ? 'CopyObject' : 'PutObject', [on(q.has('tagging') ? 's3:PutObjectTagging' : 's3:PutObject', objectArn), ...copy]];
    } else if (method === 'DELETE') {
      [operation, checks] = q.has('uploadId') ? ['AbortMultipartUpload', [on('s3:AbortMultipartUpload', objectArn)]] : ['DeleteObject', [on('s3:DeleteObject', objectArn)]];
    } else [operation, checks] = [method, [on(`s3:${method}`, objectArn)]];
    return { protocol: 'rest-xml', operation, checks, ...(options.upstreams.s3 ? { upstream: options.upstreams.s3 } : {}) };
  };

  /** The request as s3rver takes it: no SigV4 (it only knows its own keys; anonymous is let through), plain body. */
  const forUpstream = (service: string, headers: IncomingHttpHeaders, url: URL, body: Buffer) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined && k !== 'host' && k !== 'connection') out[k] = v;
    let path = url.pathname + url.search;
    if (service === 's3') {
      delete out.authorization;
      delete out['x-amz-security-token'];
      for (const p of [...url.searchParams.keys()]) if (p.startsWith('X-Amz-')) url.searchParams.delete(p);
      path = url.pathname + url.search;
      const encoding = String(headers['content-encoding'] ?? '');
      if (encoding.includes('aws-chunked') || String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')) {
        body = decodeAwsChunked(body);
        const rest = encoding
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e && e !== 'aws-chunked');
        if (rest.length) out['content-encoding'] = rest.join(',');
        else delete out['content-encoding'];
        for (const h of ['x-amz-decoded-content-length', 'x-amz-trailer', 'transfer-encoding']) delete out[h];
        out['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      }
    }
    delete out['transfer-encoding'];
    out['content-length'] = String(body.length);
    return { headers: out, path, body };
  };

  const forward = (upstream: string, service: string, req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse, instead404?: Reply) =>
    new Promise<void>((resolve, reject) => {
      const prepared = forUpstream(service, req.headers, url, body);
      const out = httpRequest({ ...upstreamAt(upstream), method: req.method, path: prepared.path, headers: { ...prepared.headers, host: hostOf(upstream) } }, (upstreamRes) => {
        if (upstreamRes.statusCode === 404 && instead404) {
          upstreamRes.resume();
          upstreamRes.on('end', () => {
            send(res, instead404);
            resolve();
          });
          return;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        upstreamRes.on('end', resolve);
        upstreamRes.on('error', reject);
      });
      out.on('error', reject);
      out.end(prepared.body);
    });

  /** One buffered exchange with dynalite, signed as the caller signed (dynalite checks the form, not the signature). */
  const exchange = (upstream: string, headers: IncomingHttpHeaders, path: string, body: Buffer, target?: string) =>
    new Promise<Reply>((resolve, reject) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(headers)) if (v !== undefined && k !== 'host' && k !== 'connection' && k !== 'transfer-encoding') out[k] = v;
      if (target) out['x-amz-target'] = target;
      out['content-length'] = String(body.length);
      const r = httpRequest({ ...upstreamAt(upstream), method: 'POST', path, headers: { ...out, host: hostOf(upstream) } }, (upstreamRes) => {
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (c: Buffer) => chunks.push(c));
        upstreamRes.on('end', () => {
          const replyHeaders: Record<string, string> = {};
          for (const [k, v] of Object.entries(upstreamRes.headers)) if (typeof v === 'string' && k !== 'content-length' && k !== 'connection') replyHeaders[k] = v;
          resolve({ status: upstreamRes.statusCode ?? 502, headers: replyHeaders, body: Buffer.concat(chunks) });
        });
        upstreamRes.on('error', reject);
      });
      r.on('error', reject);
      r.end(body);
    });

  /**
   * A write to a table with a stream: read the item before and after, so the stream record carries what
   * DynamoDB Streams would (INSERT, MODIFY or REMOVE, and the images of the stream's view type).
   */
  const writeWithStream = async (upstream: string, streamed: NonNullable<Call['streamed']>, req: IncomingMessage, url: URL, body: Buffer): Promise<Reply> => {
    const path = url.pathname + url.search;
    const tableName = streamed.stream.spec.tableName;
    const read = async () => {
      const got = await exchange(
        upstream,
        req.headers,
        path,
        Buffer.from(JSON.stringify({ TableName: tableName, Key: streamed.key, ConsistentRead: true })),
        'DynamoDB_20120810.GetItem',
      );
      return got.status === 200 ? (JSON.parse(got.body.toString('utf8')) as { Item?: Record<string, unknown> }).Item : undefined;
    };
    const before = await read();
    const reply = await exchange(upstream, req.headers, path, body);
    if (reply.status === 200) {
      const after = streamed.operation === 'PutItem' ? streamed.item : streamed.operation === 'DeleteItem' ? undefined : await read();
      streamed.stream.append(before, after);
    }
    return reply;
  };

  const send = (res: ServerResponse, reply: Reply) => {
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
    res.end(reply.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const method = req.method ?? 'GET';
    const scope = signedScope(req.headers.authorization, url);
    const target = String(req.headers['x-amz-target'] ?? '');
    const service = scope?.service ?? '';
    const protocol: Protocol = service === 's3' ? 'rest-xml' : target ? 'json' : 'rest-json';
    const caller = scope && options.callers.get(scope.accessKeyId);
    if (!caller) {
      // AWS's answer to a key it does not know; the twin's functions always sign with their own name.
      return send(
        res,
        protocol === 'rest-xml'
          ? awsError(protocol, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403)
          : awsError(protocol, 'UnrecognizedClientException', 'The security token included in the request is invalid.', protocol === 'json' ? 400 : 403),
      );
    }
    const body = await readBody(req);
    const forged = await signatureProblem({ accessKeyId: caller.functionName, secretAccessKey: options.secret }, req, body);
    if (forged) {
      return send(
        res,
        protocol === 'rest-xml'
          ? awsError(protocol, 'SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided (${forged}).`, 403)
          : awsError(protocol, 'InvalidSignatureException', `The request signature we calculated does not match the signature you provided (${forged}).`, 400),
      );
    }
    let call: Call;
    switch (service) {
      case 'dynamodb':
        call = dynamodb(target, body);
        break;
      case 'kms':
        call = kms(target, body);
        break;
      case 'states':
        call = states(target, body);
        break;
      case 'scheduler':
        call = scheduler(method, url, body);
        break;
      case 'cognito-idp':
        call = cognito(target, body);
        break;
      case 'ses':
        call = ses(method, url, body, caller.functionName);
        break;
      case 's3':
        call = s3(method, url, req.headers, body);
        break;
      default:
        return send(res, awsError(protocol, 'UnknownOperationException', `the twin has no endpoint for the ${service} service`, 400));
    }
    for (const check of call.checks) {
      const decision = await authorise(caller, check, options.resourcePolicies(check.resource));
      options.onDecision?.({ caller: caller.functionName, request: check, decision });
      if (!decision.allowed) return send(res, awsError(call.protocol, ACCESS_DENIED[call.protocol], decision.message));
    }
    if (call.serve) {
      try {
        const result = call.serve();
        return send(res, json(200, result, protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json'));
      } catch (e) {
        if (e instanceof KmsError || e instanceof ServiceError) return send(res, awsError(call.protocol, e.code, e.message, e instanceof ServiceError ? e.status : undefined));
        if (e instanceof ZodError) return send(res, awsError(call.protocol, 'ValidationException', e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 400));
        throw e;
      }
    }
    if (!call.upstream) return send(res, awsError(protocol, 'UnknownOperationException', `the twin has no upstream for ${service}`, 400));
    if (call.streamed) return send(res, await writeWithStream(call.upstream, call.streamed, req, url, body));
    const prepare = service === 'cognito-idp' ? options.beforeForward?.[service] : undefined;
    let instead404: Reply | undefined;
    if (call.listCheck) {
      const listing = await authorise(caller, call.listCheck, options.resourcePolicies(call.listCheck.resource));
      if (!listing.allowed) instead404 = awsError(call.protocol, 'AccessDenied', 'Access Denied');
    }
    const prepared = prepare ? await prepare(call.operation, body) : body;
    if (!Buffer.isBuffer(prepared)) return send(res, json(prepared.answer.status, prepared.answer.body, 'application/x-amz-json-1.1'));
    await forward(call.upstream, service, req, url, prepared, res, instead404);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, awsError('json', 'InternalFailure', (e as Error).message, 500));
      else res.destroy(e as Error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    /** The variables that send a function's SDK clients here, signed with its own name. */
    environmentFor: (caller: Caller) => ({
      AWS_ENDPOINT_URL: url,
      AWS_ACCESS_KEY_ID: caller.functionName,
      AWS_SECRET_ACCESS_KEY: options.secret,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type AwsGateway = Awaited<ReturnType<typeof startAwsGateway>>;
