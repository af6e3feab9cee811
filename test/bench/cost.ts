/**
 * `npm run bench -- cost`: one candidate's journey measured through the real handlers and workflows (the local
 * runtime in this process, over HTTP), counted as AWS bills it, then the yearly bill at national volume from the
 * committed price table (test/bench/prices.json, each price with its source and date), sign-in priced apart.
 *
 * The journey: registration by the centre, a titre session of its own (scheduled, jury constituted: a session of
 * one, so the session's cost is not shared), enrolment, every juror's assessments, deliberation and signature, the
 * PV validated, the session and capitalisation workflows (outcomes, certificate with credential and PDF,
 * notifications, usability timers), then three verifications of the code by employers. The centre and its
 * jurors (created once for many sessions) are set up before the counters start.
 *
 * Counted: every DynamoDB request the process sends to a table that exists on AWS (the local timers, workflow
 * journal and accounts tables stand in for EventBridge Scheduler, Step Functions and Cognito, and are left out),
 * as DynamoDB bills it: item sizes from DynamoDB's rules, a write rounded up per 1 KB, a read per 4 KB (a Query or
 * Scan page over the sum of its items), eventually consistent reads at half, failed conditional writes too;
 * Streams records (their reads by Lambda are free); one Lambda invocation per HTTP request, per Task and, per
 * commit, one for the projector and one for the reactions (a batch of one: no batching assumed), each billed its
 * measured duration at the template's memory; Step Functions state transitions (each state entered or retried);
 * S3 requests; KMS requests (a signature per credential, a data-key operation per person-vault read or write, as a
 * fresh container without the vault's cache would).
 *
 * What is pessimistic: no batching of Streams records, every vault access a KMS request, durations measured on a
 * shared 2-core machine. What is optimistic: one process means warm caches (the command handler's stream cache,
 * the person vault's cache) that separate Lambda containers would not share.
 */
import { COGNITO_PLAN, type CognitoPrices, yearlySignInCost } from './sign-in-cost.js';
import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerApp } from '../../infra/ledger-app.js';
import { TABLES } from '../../functions/local/runtime.js';
import { startTestLedger } from '../support/local-ledger.js';

const NATIONAL_CANDIDATES = 212_000;
const RNCP = 'RNCP38665';
const JURORS = 2;

interface Price {
  usd: number;
}
const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as Record<string, Record<string, Price & { count?: number }>>;
const price = (service: string, name: string) => {
  const p = prices[service]?.[name];
  if (!p) throw new Error(`no price ${service}.${name} in prices.json`);
  return p.usd;
};

// ---- DynamoDB, as it bills ----

/** An attribute value's size by DynamoDB's rules (numbers: about one byte per two significant digits, plus one). */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) {
    const digits = value.N.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + valueSize(v), 0);
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + s.length, 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.length, 0);
  return 1;
}
const itemSize = (item: Record<string, AttributeValue> | undefined) =>
  item ? Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + valueSize(value), 0) : 0;
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number, consistent: boolean | undefined) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

const NOT_ON_AWS = new Set<string>([TABLES.timers, TABLES.workflows, TABLES.accounts]);
const tableRole = (name: string) => (name.startsWith(TABLES.readModels) ? 'read-models' : name.replace(/^ledger-/, ''));

interface TableCount {
  wru: number;
  rru: number;
  requests: number;
  bytesWritten: number;
}
const dynamo = new Map<string, TableCount>();
let counting = false;
const tableCount = (table: string) => {
  const role = tableRole(table);
  let c = dynamo.get(role);
  if (!c) dynamo.set(role, (c = { wru: 0, rru: 0, requests: 0, bytesWritten: 0 }));
  return c;
};

function countDynamo(command: { constructor: { name: string }; input: any }, output: any, failed: boolean) {
  const name = command.constructor.name;
  const input = command.input;
  const single = (table: string | undefined) => (table && !NOT_ON_AWS.has(table) ? tableCount(table) : undefined);
  switch (name) {
    case 'PutItemCommand': {
      const c = single(input.TableName);
      if (!c) return;
      const bytes = itemSize(input.Item);
      c.requests++;
      c.wru += writeUnits(bytes);
      if (!failed) c.bytesWritten += bytes;
      return;
    }
    case 'UpdateItemCommand':
    case 'DeleteItemCommand': {
      const c = single(input.TableName);
      if (!c) return;
      c.requests++;
      // The larger of the item before and after; the bench sees neither, so the attributes it names (at least 1).
      c.wru += writeUnits(itemSize(input.Key) + Buffer.byteLength(JSON.stringify(input.ExpressionAttributeValues ?? {})));
      return;
    }
    case 'GetItemCommand': {
      const c = single(input.TableName);
      if (!c || failed) return;
      c.requests++;
      c.rru += readUnits(itemSize(output?.Item), input.ConsistentRead);
      return;
    }
    case 'QueryCommand':
    case 'ScanCommand': {
      const c = single(input.TableName);
      if (!c || failed) return;
      c.requests++;
      c.rru += readUnits(
        (output?.Items ?? []).reduce((n: number, item: Record<string, AttributeValue>) => n + itemSize(item), 0),
        input.ConsistentRead,
      );
      return;
    }
    case 'BatchGetItemCommand': {
      if (failed) return;
      for (const [table, items] of Object.entries((output?.Responses ?? {}) as Record<string, Record<string, AttributeValue>[]>)) {
        const c = single(table);
        if (!c) continue;
        c.requests++;
        const consistent = input.RequestItems?.[table]?.ConsistentRead;
        for (const item of items) c.rru += readUnits(itemSize(item), consistent);
      }
      return;
    }
    case 'BatchWriteItemCommand': {
      for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Record<string, AttributeValue> } }[]>)) {
        const c = single(table);
        if (!c) continue;
        c.requests++;
        for (const r of requests) {
          const bytes = r.PutRequest ? itemSize(r.PutRequest.Item) : 1;
          c.wru += writeUnits(bytes);
          c.bytesWritten += bytes;
        }
      }
      return;
    }
    case 'TransactWriteItemsCommand':
      throw new Error('the ledger uses no transactions (DESIGN.md); count them at twice the units if that changes');
    default:
      return;
  }
}

const originalDynamoSend = DynamoDBClient.prototype.send;
DynamoDBClient.prototype.send = async function (this: DynamoDBClient, command: any, ...rest: any[]) {
  try {
    const output = await (originalDynamoSend as any).call(this, command, ...rest);
    if (counting) countDynamo(command, output, false);
    return output;
  } catch (error) {
    if (counting) countDynamo(command, undefined, true);
    throw error;
  }
} as typeof DynamoDBClient.prototype.send;

const s3Requests = { put: 0, get: 0, bytesStored: 0 };
const originalS3Send = S3Client.prototype.send;
S3Client.prototype.send = async function (this: S3Client, command: any, ...rest: any[]) {
  if (counting) {
    if (command.constructor.name === 'PutObjectCommand') {
      s3Requests.put++;
      s3Requests.bytesStored += (command.input.Body as Uint8Array | undefined)?.length ?? 0;
    } else s3Requests.get++;
  }
  return (originalS3Send as any).call(this, command, ...rest);
} as typeof S3Client.prototype.send;

// ---- Lambda, Step Functions, the rest ----

const lambda = { invocations: 0, billedMs: 0, byKind: new Map<string, number>() };
const invoked = (kind: string, ms: number) => {
  if (!counting) return;
  lambda.invocations++;
  lambda.billedMs += Math.max(1, Math.ceil(ms));
  lambda.byKind.set(kind, (lambda.byKind.get(kind) ?? 0) + 1);
};
let transitions = 0;
let streamRecords = 0;
const kms = { symmetric: 0, asymmetric: 0 };
let schedules = 0;
let httpRequests = 0;

// The functions' memory, from the template (synthesised without bundling).
const outdir = mkdtempSync(join(tmpdir(), 'ledger-cost-'));
const { app, stack } = ledgerApp({ nag: false, outdir, context: { 'aws:cdk:bundling-stacks': [] } });
const memories = [...stack.functions.all()].map(([, fn]) => Number((fn.handler.node.defaultChild as CfnFunction).memorySize ?? 128));
// What is billed by the month whatever the traffic, counted in the templates: the ledger's stack, its alarms' nested
// stack and the edge stack (the web ACL in front of CloudFront).
const deployed = [stack, stack.monitoring, ...app.node.children.filter((c): c is Stack => Stack.isStack(c) && c !== stack)].flatMap((s) =>
  Object.values((Template.fromStack(s).toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }).Resources),
);
const ofType = (type: string) => deployed.filter((r) => r.Type === type);
const fixed = {
  alarms: ofType('AWS::CloudWatch::Alarm').length,
  keys: ofType('AWS::KMS::Key').length,
  secrets: ofType('AWS::SecretsManager::Secret').length,
  webAcls: ofType('AWS::WAFv2::WebACL').length,
  wafRules: ofType('AWS::WAFv2::WebACL').reduce((n, acl) => n + ((acl.Properties?.Rules as unknown[] | undefined)?.length ?? 0), 0),
};
rmSync(outdir, { recursive: true, force: true });
// One figure for every function: the largest the template gives (they are all the same today).
const memoryMb = Math.max(...memories);

const L = await startTestLedger({
  clock: 'virtual:2025-09-01T08:00:00Z',
  workflowOptions: {
    interceptTask: async (_state, _input, run) => {
      const started = performance.now();
      try {
        return await run();
      } finally {
        invoked('workflow task', performance.now() - started);
      }
    },
    onTransition: () => {
      if (counting) transitions++;
    },
  },
});

// The change feed: on AWS, each commit is a Streams record read (free) by the projector and the reactions Lambdas.
const onCommit = L.ledger.onCommit;
L.ledger.onCommit = async (commit) => {
  if (counting) streamRecords++;
  const started = performance.now();
  await L.ledger.project(commit);
  const projected = performance.now();
  await L.ledger.react(commit);
  invoked('projector', projected - started);
  invoked('reactions', performance.now() - projected);
  void onCommit; // replaced whole: the same two steps, timed apart
};
const signer = L.deps.signer;
const sign = signer.sign.bind(signer);
signer.sign = async (...args) => {
  if (counting) kms.asymmetric++;
  return sign(...args);
};
const vault = L.deps.vault;
for (const method of ['put', 'get'] as const) {
  const original = (vault[method] as (...a: unknown[]) => Promise<unknown>).bind(vault);
  (vault as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    if (counting) kms.symmetric++;
    return original(...args);
  };
}
const scheduler = L.scheduler;
const schedule = scheduler.schedule.bind(scheduler);
scheduler.schedule = async (timer) => {
  if (counting) schedules++;
  return schedule(timer);
};

type As = Parameters<typeof L.call>[2] extends infer O ? (O extends { as?: infer A } ? A : never) : never;
async function call(method: string, path: string, opts: { as?: As; body?: unknown } = {}, expected?: number) {
  const started = performance.now();
  const res = await L.call(method, path, opts as never);
  if (counting && !path.startsWith('/_local/')) {
    httpRequests++;
    invoked('route', performance.now() - started);
  }
  if (expected !== undefined && res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

// ---- Set-up, not counted: a centre with its agrément, habilitated jurors ----
const region = 'Bretagne';
const dreets: As = ['dreets', 'agent-1', region];
const { centreId } = await call('POST', '/centres', { as: dreets, body: { name: 'Centre Bretagne', region } }, 201);
await call('POST', `/centres/${centreId}/agrements`, { as: dreets, body: { rncp: RNCP, validUntil: '2029-05-12' } }, 201);
const jurors: string[] = [];
for (let i = 0; i < JURORS; i++) {
  const { jurorId } = await call('POST', '/jurors', { as: dreets, body: { name: `Juré ${i + 1}`, independent: i === 0 } }, 201);
  await call('POST', `/jurors/${jurorId}/habilitations`, { as: dreets, body: { rncp: RNCP, validUntil: '2029-05-12' } }, 201);
  jurors.push(jurorId);
}
const blocs = (await call('GET', `/certifications/${RNCP}`, {}, 200)).blocs as { code: string; competences: { code: string }[] }[];
await L.settle();

// ---- The journey, counted ----
counting = true;
const { candidateId } = await call('POST', '/candidates', { as: ['centre', centreId], body: { familyName: 'Moreau', givenNames: 'Camille', birthDate: '1990-04-02' } }, 201);
const { sessionId } = await call(
  'POST',
  '/sessions',
  { as: ['centre', centreId], body: { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-07', centreId } },
  201,
);
await call('PUT', `/sessions/${sessionId}/jury`, { as: ['centre', centreId], body: { members: jurors } }, 200);
await call('POST', `/sessions/${sessionId}/enrolments`, { as: ['centre', centreId], body: { candidateId, route: 'formation_continue' } }, 201);
await L.clock.moveTo('2025-10-07T14:00:00Z');
for (const juror of jurors)
  for (const bloc of blocs)
    await call(
      'POST',
      `/sessions/${sessionId}/assessments`,
      { as: ['juror', juror], body: { candidateId, bloc: bloc.code, competences: bloc.competences.map((c) => ({ code: c.code, result: 'acquis' })) } },
      201,
    );
await call(
  'POST',
  `/sessions/${sessionId}/deliberations`,
  { as: ['juror', jurors[0]!], body: { candidateId, outcome: 'titre', blocs: blocs.map((b) => b.code), finalInterviewHeld: true } },
  201,
);
for (const juror of jurors.slice(1)) await call('POST', `/sessions/${sessionId}/deliberations/${candidateId}/signatures`, { as: ['juror', juror] }, 201);
await call('POST', `/sessions/${sessionId}/pv-validation`, { as: dreets }, 202);
await L.settle();
const record = await call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] }, 200);
const code = record.certifications.find((c: { rncp: string }) => c.rncp === RNCP)?.titre?.certificateCode as string | undefined;
if (!code) throw new Error(`no certificate issued: ${JSON.stringify(record)}`);
for (let i = 0; i < 3; i++) await call('GET', `/verify/${encodeURIComponent(code)}`, {}, 200);
await L.settle();
await L.deps.verifications.flush();
counting = false;
await L.stop();
DynamoDBClient.prototype.send = originalDynamoSend;
S3Client.prototype.send = originalS3Send;

// ---- The figures ----
const totals = [...dynamo.values()].reduce((t, c) => ({ wru: t.wru + c.wru, rru: t.rru + c.rru, bytes: t.bytes + c.bytesWritten }), { wru: 0, rru: 0, bytes: 0 });
const gbSeconds = (lambda.billedMs / 1000) * (memoryMb / 1024);
console.log(`cost bench: one candidate's journey (registration to titre certificate, 3 verifications), ${RNCP}, ${JURORS} jurors, a session of one`);
for (const [table, c] of [...dynamo].sort())
  console.log(`  dynamodb ${table.padEnd(14)} ${String(c.requests).padStart(4)} requests  ${c.wru.toFixed(1).padStart(6)} WRU  ${c.rru.toFixed(1).padStart(6)} RRU`);
console.log(`  dynamodb streams: ${streamRecords} records (read by Lambda: free)`);
console.log(
  `  lambda: ${lambda.invocations} invocations (${[...lambda.byKind].map(([k, n]) => `${n} ${k}`).join(', ')}), ${(lambda.billedMs / 1000).toFixed(2)} s billed at ${memoryMb} MB = ${gbSeconds.toFixed(3)} GB-s`,
);
console.log(`  step functions: ${transitions} state transitions`);
console.log(`  s3: ${s3Requests.put} PUT, ${s3Requests.get} GET (${(s3Requests.bytesStored / 1024).toFixed(1)} KB stored)`);
console.log(`  kms: ${kms.asymmetric} asymmetric (sign), ${kms.symmetric} symmetric (person vault keys)`);
console.log(`  api gateway: ${httpRequests} requests; scheduler: ${schedules} schedules`);
console.log(`per-candidate WRU: ${totals.wru.toFixed(1)}`);
console.log(`per-candidate RRU: ${totals.rru.toFixed(1)}`);

const n = NATIONAL_CANDIDATES;
const lines: [string, number][] = [
  ['DynamoDB writes', ((totals.wru * n) / 1e6) * price('dynamodb', 'writeRequestUnitPerMillion')],
  ['DynamoDB reads', ((totals.rru * n) / 1e6) * price('dynamodb', 'readRequestUnitPerMillion')],
  // A year's items, on average half there over the year (storage accumulates: each later year pays all earlier ones).
  ['DynamoDB storage (first year)', ((totals.bytes * n) / 1024 ** 3) * price('dynamodb', 'storageGbMonth') * 6],
  ['Lambda requests', ((lambda.invocations * n) / 1e6) * price('lambda', 'requestsPerMillion')],
  ['Lambda compute', gbSeconds * n * price('lambda', 'arm64GbSecond')],
  ['Step Functions', ((transitions * n) / 1000) * price('stepFunctions', 'standardStateTransitionsPerThousand')],
  ['S3 requests', ((s3Requests.put * n) / 1000) * price('s3', 'putPerThousand') + ((s3Requests.get * n) / 1000) * price('s3', 'getPerThousand')],
  ['S3 storage (first year)', ((s3Requests.bytesStored * n) / 1024 ** 3) * price('s3', 'storageGbMonth') * 6],
  ['KMS requests', ((kms.asymmetric * n) / 1e4) * price('kms', 'asymmetricRequestsPerTenThousand') + ((kms.symmetric * n) / 1e4) * price('kms', 'symmetricRequestsPerTenThousand')],
  ['API Gateway (HTTP API)', ((httpRequests * n) / 1e6) * price('apiGateway', 'httpApiRequestsPerMillion')],
  ['EventBridge Scheduler', ((schedules * n) / 1e6) * price('scheduler', 'invocationsPerMillion')],
  // Point-in-time recovery on the tables kept (not the expiring idempotency and rate-limit ones): their size, as above.
  [
    'DynamoDB backups (first year)',
    (([...dynamo].filter(([table]) => !['idempotency', 'rate-limit'].includes(table)).reduce((b, [, c]) => b + c.bytesWritten, 0) * n) / 1024 ** 3) *
      price('dynamodb', 'continuousBackupGbMonth') *
      6,
  ],
  // Every request through CloudFront is inspected by the web ACL.
  ['WAF requests', ((httpRequests * n) / 1e6) * price('waf', 'requestsPerMillion')],
  [`CloudWatch alarms (${fixed.alarms}, fixed)`, fixed.alarms * 12 * price('cloudwatch', 'alarmMonth')],
  [`KMS keys (${fixed.keys}, fixed)`, fixed.keys * 12 * price('kms', 'customerManagedKeyMonth')],
  [`Secrets Manager (${fixed.secrets}, fixed)`, fixed.secrets * 12 * price('secretsManager', 'secretMonth')],
  [`WAF (${fixed.webAcls} ACL, ${fixed.wafRules} rules, fixed)`, 12 * (fixed.webAcls * price('waf', 'webAclMonth') + fixed.wafRules * price('waf', 'ruleMonth'))],
];
console.log(`national year: ${n.toLocaleString('en')} candidates (prices: test/bench/prices.json, us-east-1 list prices)`);
for (const [what, usd] of lines) console.log(`  ${what.padEnd(30)} $${usd.toFixed(2).padStart(9)}`);
// Sign-in apart: each candidate assumed active (signed in) in two months of the year, every one through FranceConnect
// (the upper bound of the federation charge); the user pool's Plus plan has no free tier (test/bench/sign-in-cost.ts).
const mauPerMonth = (n * 2) / 12;
const signIn = yearlySignInCost(prices.cognito as unknown as CognitoPrices, { monthlyActiveUsers: mauPerMonth, federatedShare: 1 });
console.log(
  `  ${`Cognito sign-in (apart, ${COGNITO_PLAN})`.padEnd(30)} $${signIn.total.toFixed(2).padStart(9)}  (${Math.round(mauPerMonth).toLocaleString('en')} MAU a month assumed, each candidate active two months a year: plan $${signIn.plan.toFixed(0)}, FranceConnect federation $${signIn.federation.toFixed(0)})`,
);
const bill = lines.reduce((sum, [, usd]) => sum + usd, 0);
console.log(`national yearly bill (without sign-in): $${bill.toFixed(0)}`);
