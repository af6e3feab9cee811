import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { routeKey, routes } from '../../functions/routes.js';
import { Role } from '../../functions/shared/auth.js';
import { streamConsumers } from '../../infra/consumers.js';
import { isThrottledPublicRoute, VERIFY_THROTTLE } from '../../infra/constructs/ledger-http-api.js';
import { ACCOUNT_ACTIONS_OF, ITEM_ACTIONS } from '../../infra/constructs/ledger-functions.js';
import { accessOf, functionAccess, type FunctionAccess } from '../../infra/function-access.js';
import { entryOf } from '../../infra/paths.js';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import { workflows } from '../../infra/workflows/index.js';
import { renderWorkflow } from '../../infra/workflows/render.js';
import { stateMachineArnVariable } from '../../infra/workflows/workflow.js';
import { REQUIRED_AWS_VARIABLES, WORKFLOW_NAMES } from '../../functions/composition/config.js';
import { START_UP_MODULE } from '../../infra/constructs/ledger-start-up.js';
import { VAULT_BACKUP_DAYS } from '../../infra/constructs/ledger-tables.js';
import {
  actionsOf,
  definitionOf,
  taskTargets,
  type CfnResourceJson,
  identityPolicies,
  logicalIdOf,
  type monitoringOf,
  statementsOfRole,
  SYNTH_TIMEOUT,
  synthesize,
  WRITE_ACTION,
} from './support.js';
import { REBUILD_MODULES } from '../../infra/workflows/rebuild-read-models.js';

let stack: LedgerStack;
let resources: Record<string, CfnResourceJson>;
let monitoring: ReturnType<typeof monitoringOf>;

beforeAll(() => {
  // Without the pages (test/infra/web.test.ts has them): their BucketDeployment handler is not a ledger function.
  ({ stack, resources, monitoring } = synthesize({ stack: { web: false } }));
}, SYNTH_TIMEOUT);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The alarms live in the monitoring nested stack, read with the parent's logical ids (test/infra/support.ts). */
const alarmEntries = () => Object.entries(monitoring.resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
/** The rebuild's functions (an operator's, with an environment of their own: test/infra/read-model-rebuild.test.ts). */
const rebuildFunctions = () => new Set(Object.values(stack.rebuild.functions).map((fn) => logicalIdOf(stack, fn.handler)));
/** The ledger's functions; CDK adds one of its own, the Trigger's provider. */
const ledgerFunctions = () =>
  ofType('AWS::Lambda::Function').filter(([id, fn]) => String(fn.Properties.Description ?? '').startsWith('certification-ledger ') && !rebuildFunctions().has(id));
const deployed = routes.filter((r) => !r.localOnly);
const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const functionOf = (module: string) => {
  const fn = stack.functions.all().get(module);
  if (!fn) throw new Error(`no function for ${module}`);
  return fn;
};
const functionIdOf = (module: string) => logicalIdOf(stack, functionOf(module).handler);
const roleIdOf = (module: string) => logicalIdOf(stack, functionOf(module).role);

describe('tables', () => {
  it('the events table is the ledger of DESIGN.md: pk string, sk number, on demand, stream NEW_IMAGE, PITR, deletion protection, encrypted, retained', () => {
    const events = resources[logicalIdOf(stack, stack.tables.events)]!;
    expect(events.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(events.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ]),
    );
    expect(events.Properties.AttributeDefinitions).toHaveLength(2);
    expect(events.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(events.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(events.Properties.Replicas).toHaveLength(1);
    expect(events.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(events.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(events.Properties.SSESpecification.SSEEnabled).toBe(true);
    expect(events.DeletionPolicy).toBe('Retain');
  });

  it('every table is encrypted and on demand; idempotency and rate limiter expire on expiresAt; the others have PITR', () => {
    const tables = ofType('AWS::DynamoDB::GlobalTable');
    // Read models twice: blue and green (the rebuild writes the one not served); the sign-in records apart from both.
    expect(tables).toHaveLength(8);
    for (const [, t] of tables) {
      expect(t.Properties.SSESpecification.SSEEnabled).toBe(true);
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    }
    for (const table of [stack.tables.idempotency, stack.tables.rateLimit, stack.tables.verifications]) {
      const t = resources[logicalIdOf(stack, table)]!;
      expect(t.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
      expect(t.Properties.KeySchema[0]).toEqual({ AttributeName: 'pk', KeyType: 'HASH' });
    }
    for (const table of [stack.tables.readModels, stack.tables.personVault, stack.tables.verifications, stack.tables.signIns]) {
      const t = resources[logicalIdOf(stack, table)]!;
      // The vault's backups keep an erased person's wrapped key: a short window, stated in the README.
      expect(t.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual(
        table === stack.tables.personVault ? { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: VAULT_BACKUP_DAYS } : { PointInTimeRecoveryEnabled: true },
      );
      expect(t.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    }
    expect(resources[logicalIdOf(stack, stack.tables.readModels)]!.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('the sign-in records have a table of their own, kept as the ledger is (pk = ledger id, PITR, deletion protection, retained), apart from both read-model tables', () => {
    const signIns = resources[logicalIdOf(stack, stack.tables.signIns)]!;
    expect(signIns.Properties.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(signIns.Properties.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'S' }]);
    expect(signIns.Properties.TimeToLiveSpecification).toBeUndefined();
    expect(signIns.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(signIns.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(signIns.DeletionPolicy).toBe('Retain');
    expect(Object.values(stack.tables.readModelTables)).not.toContain(stack.tables.signIns);
    for (const [id, fn] of ledgerFunctions()) expect(fn.Properties.Environment.Variables.SIGN_INS_TABLE, id).toEqual(ref(logicalIdOf(stack, stack.tables.signIns)));
  });

  it('no principal may update or delete a commit: the ledger is append-only', () => {
    const events = logicalIdOf(stack, stack.tables.events);
    for (const policy of identityPolicies(resources)) {
      for (const s of policy.statements) {
        if (!JSON.stringify(s.Resource).includes(`"${events}"`)) continue;
        expect(actionsOf([s]).filter((a) => /^dynamodb:(UpdateItem|DeleteItem|BatchWriteItem|PartiQL|\*)/.test(a))).toEqual([]);
      }
    }
  });
});

describe('buckets', () => {
  it('are private, encrypted, versioned and refuse plain HTTP', () => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const [id, b] of buckets) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(id)));
      expect(policy, `policy of ${id}`).toBeDefined();
      expect(policy![1].Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  it('exports expire; documents and exports log their access', () => {
    const exportsBucket = resources[logicalIdOf(stack, stack.buckets.exports)]!;
    expect(exportsBucket.Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' }));
    for (const bucket of [stack.buckets.documents, stack.buckets.exports]) {
      expect(resources[logicalIdOf(stack, bucket)]!.Properties.LoggingConfiguration.DestinationBucketName).toEqual(ref(logicalIdOf(stack, stack.buckets.accessLogs)));
    }
  });
});

describe('functions', () => {
  const modules = new Set([
    ...deployed.map((r) => r.module),
    ...streamConsumers.map((c) => c.module),
    ...workflows.flatMap((w) => Object.values(renderWorkflow(w).taskModules)),
    START_UP_MODULE,
  ]);

  it('one function per deployed route module, consumer and workflow step, Node 22 on arm64; routes share one log group, the others have their own', () => {
    expect(ledgerFunctions()).toHaveLength(modules.size);
    expect(ofType('AWS::Lambda::Function')).toHaveLength(modules.size + 1 + rebuildFunctions().size);
    for (const module of modules) {
      const fn = resources[functionIdOf(module)]!;
      expect(fn.Properties.Runtime, module).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, module).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
      const logGroup = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(resources[logGroup]!.Type).toBe('AWS::Logs::LogGroup');
      expect(resources[logGroup]!.Properties.RetentionInDays).toBeGreaterThan(0);
    }
    const logGroupOf = (module: string) => resources[functionIdOf(module)]!.Properties.LoggingConfig.LogGroup.Ref as string;
    const routeModules = new Set(deployed.map((r) => r.module));
    const routeGroups = new Set([...routeModules].map(logGroupOf));
    expect(routeGroups.size).toBe(1);
    const others = [...modules].filter((m) => !routeModules.has(m));
    expect(new Set(others.map(logGroupOf)).size).toBe(others.length);
    for (const m of others) expect(routeGroups.has(logGroupOf(m)), m).toBe(false);
    for (const r of routes.filter((r) => r.localOnly)) expect(stack.functions.all().has(r.module), r.module).toBe(false);
  });

  it('every function has every variable the composition requires at cold start', () => {
    const names = REQUIRED_AWS_VARIABLES;
    expect(names).toContain('EVENTS_TABLE');
    expect(names).toContain('PUBLIC_BASE_URL');
    for (const [id, fn] of ledgerFunctions()) {
      for (const name of names) expect(Object.keys(fn.Properties.Environment.Variables), `${name} on ${id}`).toContain(name);
    }
  });

  it('a read-only function (a GET route) has no write action at all', () => {
    const readOnly = (a: FunctionAccess) =>
      a.events !== 'append' &&
      a.readModels !== 'write' &&
      !a.idempotency &&
      (!a.vault || a.vault === 'read') &&
      a.documents !== 'write' &&
      a.exports !== 'write' &&
      !a.rateLimit &&
      a.verifications !== 'write' &&
      a.accessLog !== 'write' &&
      a.signing !== 'sign' &&
      !a.email &&
      !a.schedules &&
      !a.startsWorkflows?.length &&
      !a.accounts;
    const checked = deployed.filter((r) => readOnly(accessOf(r.module, r.method)));
    expect(checked.map((r) => r.module)).toContain('certifications/get-certification');
    expect(checked.every((r) => r.method === 'GET')).toBe(true);
    for (const route of checked) {
      const actions = actionsOf(statementsOfRole(resources, roleIdOf(route.module)));
      expect(
        actions.filter((a) => WRITE_ACTION.test(a)),
        route.module,
      ).toEqual([]);
    }
    // A read of a person's name writes one thing: the person's access log (BatchWriteItem on the verifications table).
    const listCandidates = actionsOf(statementsOfRole(resources, roleIdOf('centres/list-centre-candidates')));
    expect(listCandidates.filter((a) => WRITE_ACTION.test(a))).toEqual(['dynamodb:BatchWriteItem']);
    const getCertification = actionsOf(statementsOfRole(resources, roleIdOf('certifications/get-certification')));
    expect(getCertification).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
  });

  it("the holder's named PDF decrypts the vault and writes nothing but the person's access log", () => {
    const statements = statementsOfRole(resources, roleIdOf('certificates/get-named-certificate-pdf'));
    const on = (construct: Parameters<typeof logicalIdOf>[1]) =>
      actionsOf(statements.filter((s) => JSON.stringify(s.Resource).includes(`"${logicalIdOf(stack, construct)}"`))).sort();
    expect(on(stack.tables.personVault)).toEqual(['dynamodb:GetItem']);
    expect(on(stack.keys.vault)).toEqual(['kms:Decrypt']);
    expect(on(stack.tables.verifications)).toEqual(['dynamodb:BatchWriteItem']);
    expect(actionsOf(statements).filter((a) => WRITE_ACTION.test(a))).toEqual(['dynamodb:BatchWriteItem']);
    // Rendered per request from the read models: no stored document, no stream read, no signing.
    expect(on(stack.buckets.documents)).toEqual([]);
    expect(on(stack.tables.events)).toEqual([]);
    expect(on(stack.keys.signing)).toEqual([]);
  });

  it('verify writes its verification log by batches and updates (the day counter and the tallies, issue 17), never deletes it; the holder only queries it', () => {
    const onVerifications = (module: string) =>
      actionsOf(statementsOfRole(resources, roleIdOf(module)).filter((s) => JSON.stringify(s.Resource).includes(`"${logicalIdOf(stack, stack.tables.verifications)}"`))).sort();
    expect(onVerifications('certificates/verify-certificate')).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(onVerifications('certificates/list-verifications')).toEqual(['dynamodb:Query']);
  });

  it('the functions of the verification log alone are denied the access logs the same table holds (access#*)', () => {
    const verifications = logicalIdOf(stack, stack.tables.verifications);
    const denials = (module: string) =>
      statementsOfRole(resources, roleIdOf(module)).filter((s) => s.Effect === 'Deny' && JSON.stringify(s.Resource).includes(`"${verifications}"`));
    const expected = {
      Effect: 'Deny',
      Action: [...ITEM_ACTIONS].sort(),
      Resource: { 'Fn::GetAtt': [verifications, 'Arn'] },
      Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['access#*'] } },
    };
    const keepers = Object.entries(functionAccess)
      .filter(([, a]) => a.verifications && !a.accessLog)
      .map(([m]) => m);
    expect(keepers.sort()).toEqual(['certificates/list-verifications', 'certificates/verify-certificate']);
    for (const module of keepers) expect(denials(module), module).toEqual([expected]);
    // Those that write a person's access log keep it (no verification-log grant, no denial).
    for (const module of ['certificates/get-named-certificate-pdf', 'candidates/get-access-log']) expect(denials(module), module).toEqual([]);
  });

  it('public certificate functions read only the keys they serve: LeadingKeys on the ledger and read models, no vault but verify, no ListBucket', () => {
    const onTable = (module: string, construct: Parameters<typeof logicalIdOf>[1]) =>
      statementsOfRole(resources, roleIdOf(module)).filter((s) => JSON.stringify(s.Resource).includes(`"${logicalIdOf(stack, construct)}"`));
    const keysOf = (module: string, construct: Parameters<typeof logicalIdOf>[1]) =>
      onTable(module, construct).map((s) => ({ actions: actionsOf([s]).sort(), keys: s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? [] }));
    const reads = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
    for (const module of ['certificates/verify-certificate', 'certificates/get-credential', 'certificates/get-certificate-pdf']) {
      const readModels = keysOf(module, stack.tables.readModels);
      expect(readModels, module).toHaveLength(1);
      expect(readModels[0]!.actions, module).toEqual(reads);
      expect(readModels[0]!.keys, module).toContain('certificate#*');
      expect(
        readModels[0]!.keys.every((k: string) => /^[a-z-]+#(\*|catalogue)$/.test(k)),
        module,
      ).toBe(true);
      // No statement on the events table without the condition.
      for (const s of onTable(module, stack.tables.events)) expect(s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'], module).toEqual(['certificate#*']);
    }
    expect(keysOf('certificates/verify-certificate', stack.tables.readModels)[0]!.keys.sort()).toEqual(['certificate#*', 'certification#catalogue']);
    expect(keysOf('certificates/verify-certificate', stack.tables.events)).toEqual([{ actions: ['dynamodb:GetItem', 'dynamodb:Query'], keys: ['certificate#*'] }]);
    // The credential and the PDF are in the certificate's document: no ledger, no vault, no vault key.
    for (const module of ['certificates/get-credential', 'certificates/get-certificate-pdf']) {
      expect(onTable(module, stack.tables.events), module).toEqual([]);
      expect(onTable(module, stack.tables.personVault), module).toEqual([]);
      expect(onTable(module, stack.keys.vault), module).toEqual([]);
    }
    // Listing the documents would list every certificate code: nobody may.
    const documents = logicalIdOf(stack, stack.buckets.documents);
    for (const [, fn] of stack.functions.all()) {
      const statements = statementsOfRole(resources, logicalIdOf(stack, fn.role)).filter((s) => JSON.stringify(s.Resource).includes(`"${documents}"`));
      expect(actionsOf(statements), fn.node.id).not.toContain('s3:ListBucket');
    }
    expect(actionsOf(onTable('certificates/get-certificate-pdf', stack.buckets.documents))).toEqual(['s3:GetObject']);
  });

  it('every unauthenticated route reads exactly the partitions its code reads, and no vault or signing key it does not use', () => {
    const CATALOGUE = 'certification#catalogue';
    type Expected = { events?: string[]; readModels?: string[]; vault?: true; signing?: string[]; others?: ('rateLimit' | 'verifications')[] };
    // Read from each handler's code (the keys it asks the stores for), not from infra/function-access.ts.
    const expected: Record<string, Expected> = {
      'health/get-health': {},
      'openapi/get-openapi': {},
      'certifications/list-certifications': { readModels: [CATALOGUE] },
      'certifications/get-certification': { readModels: [CATALOGUE] },
      'certificates/verify-certificate': {
        events: ['certificate#*'],
        readModels: [CATALOGUE, 'certificate#*'],
        vault: true,
        others: ['rateLimit', 'verifications'],
      },
      'certificates/get-credential': { readModels: ['certificate#*'], others: ['rateLimit'] },
      'certificates/get-certificate-pdf': { readModels: ['certificate#*'], others: ['rateLimit'] },
      'certificates/get-jwks': { readModels: [CATALOGUE], signing: ['kms:GetPublicKey'] },
      'certificates/get-did-document': { readModels: [CATALOGUE], signing: ['kms:GetPublicKey'] },
      'certificates/get-status-list': { readModels: [CATALOGUE, 'status-list#*'], signing: ['kms:GetPublicKey', 'kms:Sign'] },
      'wallet/get-well-known': { signing: ['kms:GetPublicKey'] },
      'wallet/get-jwt-vc-issuer': { readModels: [CATALOGUE], signing: ['kms:GetPublicKey'] },
      'wallet/get-credential-type': {},
      'wallet/oid4vci-endpoint': { events: ['wallet-offer#*'], readModels: [CATALOGUE, 'certificate#*'], vault: true, signing: ['kms:GetPublicKey', 'kms:Sign'] },
    };
    const publicModules = [...new Set(deployed.filter((r) => r.auth === 'public').map((r) => r.module))].sort();
    expect(publicModules).toEqual(Object.keys(expected).sort());
    const tableNames = ['events', 'readModels', 'idempotency', 'personVault', 'rateLimit', 'verifications'] as const;
    for (const [module, want] of Object.entries(expected)) {
      const statements = statementsOfRole(resources, roleIdOf(module));
      const on = (construct: Parameters<typeof logicalIdOf>[1]) => statements.filter((s) => JSON.stringify(s.Resource).includes(`"${logicalIdOf(stack, construct)}"`));
      const leadingKeys = (construct: Parameters<typeof logicalIdOf>[1]) =>
        on(construct).map((s) => [...(s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? ['<any key>'])].sort());
      // Every statement on the ledger and the read models carries the condition, with exactly those keys.
      const events = leadingKeys(stack.tables.events);
      expect(events.length > 0, `${module} on the events table`).toBe(want.events !== undefined);
      for (const keys of events) expect(keys, `${module} on the events table`).toEqual([...(want.events ?? [])].sort());
      const readModels = leadingKeys(stack.tables.readModels);
      expect(readModels.length > 0, `${module} on the read models`).toBe(want.readModels !== undefined);
      for (const keys of readModels) expect(keys, `${module} on the read models`).toEqual([...(want.readModels ?? [])].sort());
      const touched = tableNames.filter((name) => on(stack.tables[name]).length > 0).sort();
      const tables = [...(want.events ? ['events'] : []), ...(want.readModels ? ['readModels'] : []), ...(want.vault ? ['personVault'] : []), ...(want.others ?? [])].sort();
      expect(touched, `${module}: tables`).toEqual(tables);
      expect(actionsOf(on(stack.keys.vault)), `${module}: vault key`).toEqual(want.vault ? ['kms:Decrypt'] : []);
      expect(actionsOf(on(stack.keys.signing)).sort(), `${module}: signing key`).toEqual(want.signing ?? []);
      expect(
        actionsOf(statements).filter(
          (a) => /^(s3|sqs|sns|states|scheduler|ses|cognito-idp|lambda):/.test(a) && !(module === 'certificates/get-certificate-pdf' && a === 's3:GetObject'),
        ),
        module,
      ).toEqual([]);
    }
  });

  it('a write route appends to the ledger and claims idempotency keys, and nothing more than its access says', () => {
    const write = deployed.find((r) => r.method !== 'GET' && !(r.module in functionAccess));
    expect(write).toBeDefined();
    const statements = statementsOfRole(resources, roleIdOf(write!.module));
    const on = (table: string) => actionsOf(statements.filter((s) => JSON.stringify(s.Resource).includes(`"${table}"`)));
    expect(on(logicalIdOf(stack, stack.tables.events))).toContain('dynamodb:PutItem');
    expect(on(logicalIdOf(stack, stack.tables.idempotency))).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect(on(logicalIdOf(stack, stack.tables.readModels)).filter((a) => WRITE_ACTION.test(a))).toEqual([]);
    expect(actionsOf(statements).filter((a) => /^(kms|s3|ses|states|scheduler):/.test(a))).toEqual([]);
  });

  it('function-access.ts names only modules that exist', () => {
    for (const module of Object.keys(functionAccess)) expect(existsSync(entryOf(module)), module).toBe(true);
  });

  it('the signing key is ECC P-256 for signing, and no function may sign yet', () => {
    const key = resources[logicalIdOf(stack, stack.keys.signing)]!;
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const signers = identityPolicies(resources).filter((p) => actionsOf(p.statements).includes('kms:Sign'));
    const expected = [...stack.functions.all().keys()].filter((m) => accessOf(m).signing === 'sign');
    expect(signers).toHaveLength(expected.length);
  });
});

describe('HTTP API', () => {
  it('its access logs name the route, never the path: a certificate code is in the path of /verify/{code} (issue 18)', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, CfnResourceJson]];
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format) as Record<string, string>;
    expect(format.routeKey).toBe('$context.routeKey');
    expect(Object.values(format).filter((v) => /\$context\.(path|resourcePath|requestOverride|domainName|http)|\$input|\$request/.test(v))).toEqual([]);
  });

  const authorizerId = () => ofType('AWS::ApiGatewayV2::Authorizer')[0]![0];

  it('has a JWT authorizer on the Cognito user pool and its client', () => {
    const [[, authorizer]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, CfnResourceJson]];
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('cognito-idp');
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([ref(logicalIdOf(stack, stack.http.client))]);
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
  });

  it('has every deployed route of the manifest, wired to its module, with the authorizer except on public routes', () => {
    const byKey = new Map(ofType('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey as string, r]));
    expect([...byKey.keys()].sort()).toEqual(deployed.map(routeKey).sort());
    for (const entry of deployed) {
      const route = byKey.get(routeKey(entry))!;
      if (entry.auth === 'public') {
        expect(route.Properties.AuthorizationType ?? 'NONE', routeKey(entry)).toBe('NONE');
        expect(route.Properties.AuthorizerId).toBeUndefined();
      } else {
        expect(route.Properties.AuthorizationType, routeKey(entry)).toBe('JWT');
        expect(route.Properties.AuthorizerId).toEqual(ref(authorizerId()));
      }
      const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[]).map((p) => (p as { Ref?: string }).Ref).find(Boolean)!;
      expect(resources[integrationId]!.Properties.IntegrationUri).toEqual(arnOf(functionIdOf(entry.module)));
      expect(resources[integrationId]!.Properties.PayloadFormatVersion).toBe('2.0');
    }
  });

  it('answers CORS preflights itself: any origin, GET only, no credentials, no Authorization header (a page elsewhere reads public answers only)', () => {
    const [[, api]] = ofType('AWS::ApiGatewayV2::Api') as [[string, CfnResourceJson]];
    expect(api.Properties.CorsConfiguration).toEqual({
      AllowOrigins: ['*'],
      AllowMethods: ['GET', 'HEAD', 'OPTIONS'],
      AllowHeaders: ['accept', 'content-type'],
      AllowCredentials: false,
      MaxAge: 86400,
    });
    // No OPTIONS route, hence no function, for the preflights.
    expect(ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => String(r.Properties.RouteKey).startsWith('OPTIONS'))).toEqual([]);
    expect(deployed.filter((r) => r.cors).every((r) => r.method === 'GET' && r.auth === 'public')).toBe(true);
  });

  it('throttles the stage, and public verify routes at a national figure (per-viewer limits are the WAF and the app)', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, CfnResourceJson]];
    expect(stage.Properties.RouteSettings['GET /verify/{code}']).toEqual({ ThrottlingRateLimit: 1_000, ThrottlingBurstLimit: 2_000 });
    expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.Properties.AccessLogSettings.DestinationArn).toBeDefined();
    for (const entry of deployed.filter(isThrottledPublicRoute)) {
      expect(stage.Properties.RouteSettings[routeKey(entry)]).toEqual({
        ThrottlingRateLimit: VERIFY_THROTTLE.rateLimit,
        ThrottlingBurstLimit: VERIFY_THROTTLE.burstLimit,
      });
    }
  });

  it('has one Cognito group per role', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName as string);
    expect(groups.sort()).toEqual([...Role.options].sort());
    const [[, pool]] = ofType('AWS::Cognito::UserPool') as [[string, CfnResourceJson]];
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
  });
});

describe('accounts (DESIGN.md §6)', () => {
  const pool = () => resources[logicalIdOf(stack, stack.http.userPool)]!;
  const accountModules = [
    'centres/invite-centre-account',
    'centres/disable-centre-account',
    'jurors/invite-juror-account',
    'jurors/disable-juror-account',
    'candidates/invite-candidate-account',
    'candidates/disable-candidate-account',
    // An erasure disables the person's accounts and signs them out, as a disabling does.
    'candidates/erase-personal-data',
  ];

  it('the user pool has custom:ledger_id, immutable, and custom:region', () => {
    const schema = pool().Properties.Schema as { Name: string; AttributeDataType: string; Mutable: boolean }[];
    expect(schema.find((a) => a.Name === 'ledger_id')).toMatchObject({ AttributeDataType: 'String', Mutable: false });
    expect(schema.find((a) => a.Name === 'region')).toMatchObject({ AttributeDataType: 'String' });
  });

  it('sign-in ignores the case of the email, and the verification code mail is in French', () => {
    expect(pool().Properties.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool().Properties.VerificationMessageTemplate).toMatchObject({ DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailSubject: expect.stringContaining('votre code') });
    expect(pool().Properties.VerificationMessageTemplate.EmailMessage).toContain('{####}');
  });

  it('the app client reads both custom attributes (so the ID token carries them) and writes neither, nor the email', () => {
    const clients = ofType('AWS::Cognito::UserPoolClient');
    expect(clients.length).toBeGreaterThan(0);
    for (const [id, client] of clients) {
      expect(client.Properties.ReadAttributes, id).toEqual(expect.arrayContaining(['custom:ledger_id', 'custom:region', 'email']));
      // An absent list would leave Cognito's default; the list must be there, and without the link.
      expect(client.Properties.WriteAttributes, id).toEqual(expect.any(Array));
      expect(client.Properties.WriteAttributes.length, id).toBeGreaterThan(0);
      for (const name of ['custom:ledger_id', 'custom:region', 'email']) expect(client.Properties.WriteAttributes, id).not.toContain(name);
    }
  });

  it('invites in French, with the sign-in name and the temporary password', () => {
    const { AdminCreateUserConfig: config } = pool().Properties;
    expect(config.AllowAdminCreateUserOnly).toBe(true);
    expect(config.InviteMessageTemplate.EmailSubject).toMatch(/registre des titres professionnels/);
    expect(config.InviteMessageTemplate.EmailMessage).toContain('{username}');
    expect(config.InviteMessageTemplate.EmailMessage).toContain('{####}');
    expect(config.InviteMessageTemplate.EmailMessage).toMatch(/Mot de passe provisoire/);
  });

  it('only the account functions may call the user pool, with exactly the directory’s actions, on that pool only', () => {
    const poolArn = arnOf(logicalIdOf(stack, stack.http.userPool));
    for (const module of accountModules) expect(accessOf(module).accounts, module).toBe(module.includes('/invite-') ? 'invite' : 'disable');
    for (const module of stack.functions.all().keys()) {
      const statements = statementsOfRole(resources, roleIdOf(module)).filter((s) => actionsOf([s]).some((a) => a.startsWith('cognito-idp:')));
      if (!accountModules.includes(module)) {
        expect(statements, module).toEqual([]);
        continue;
      }
      // Each route only the actions it makes: an invitation never disables, a disabling never creates nor enables.
      const expected = module.includes('/invite-')
        ? ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser']
        : ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:AdminUserGlobalSignOut'];
      expect(actionsOf(statements).sort(), module).toEqual(expected);
      expect(actionsOf(statements).sort(), module).toEqual([...ACCOUNT_ACTIONS_OF[module.includes('/invite-') ? 'invite' : 'disable']].sort());
      for (const s of statements) expect(s.Resource, module).toEqual(poolArn);
      // An account route reads the ledger (does the centre exist?) and appends nothing to it.
      const events = logicalIdOf(stack, stack.tables.events);
      if (module !== 'candidates/erase-personal-data')
        expect(actionsOf(statementsOfRole(resources, roleIdOf(module)).filter((s) => JSON.stringify(s.Resource).includes(`"${events}"`))), module).not.toContain(
          'dynamodb:PutItem',
        );
    }
    const grantees = identityPolicies(resources).filter((p) => actionsOf(p.statements).some((a) => a.startsWith('cognito-idp:')));
    expect(grantees).toHaveLength(accountModules.length);
  });

  it('the account routes and the erasure alone write the sign-in records (PutItem on their table, nothing else), and no read model', () => {
    const signIns = logicalIdOf(stack, stack.tables.signIns);
    const readModels = Object.values(stack.tables.readModelTables).map((t) => logicalIdOf(stack, t));
    const projector = 'projections/project-change-feed';
    for (const module of stack.functions.all().keys()) {
      const statements = statementsOfRole(resources, roleIdOf(module));
      const onSignIns = statements.filter((s) => JSON.stringify(s.Resource).includes(`"${signIns}"`));
      const writes = onSignIns.filter((s) => actionsOf([s]).some((a) => WRITE_ACTION.test(a)));
      if (accountModules.includes(module)) {
        expect(actionsOf(onSignIns).sort(), module).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
        // Their read-model reads (does the centre exist?) stay reads: no write on either read-model table.
        const readModelWrites = statements.filter((s) => readModels.some((t) => JSON.stringify(s.Resource).includes(`"${t}"`)) && actionsOf([s]).some((a) => WRITE_ACTION.test(a)));
        expect(readModelWrites, module).toEqual([]);
      } else expect(writes, module).toEqual([]);
      for (const s of onSignIns) expect(s.Condition, module).toBeUndefined();
    }
    // The projector writes the read models, never the sign-in records: a rebuild cannot reach them either.
    expect(statementsOfRole(resources, roleIdOf(projector)).filter((s) => JSON.stringify(s.Resource).includes(`"${signIns}"`))).toEqual([]);
  });

  it('every authenticated route, and nothing else, may read its caller’s sign-in record (GetItem only, functions/shared/dispatch.ts)', () => {
    const signIns = logicalIdOf(stack, stack.tables.signIns);
    const authenticated = new Set(deployed.filter((r) => r.auth !== 'public').map((r) => r.module));
    expect(authenticated).toContain('statistics/download-export');
    for (const module of stack.functions.all().keys()) {
      const actions = actionsOf(statementsOfRole(resources, roleIdOf(module)).filter((s) => JSON.stringify(s.Resource).includes(`"${signIns}"`))).sort();
      if (!authenticated.has(module)) expect(actions, module).toEqual([]);
      else expect(actions, module).toEqual(accountModules.includes(module) ? ['dynamodb:GetItem', 'dynamodb:PutItem'] : ['dynamodb:GetItem']);
    }
  });

  it('every function knows the user pool by USER_POOL_ID', () => {
    for (const [id, fn] of ledgerFunctions()) expect(fn.Properties.Environment.Variables.USER_POOL_ID, id).toEqual(ref(logicalIdOf(stack, stack.http.userPool)));
  });
});

describe('change feed', () => {
  it('the projector reads the events stream with partial batch responses, bisecting, bounded retries and age, and the on-failure queue', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(streamConsumers.length);
    const queue = logicalIdOf(stack, stack.changeFeed.onFailure);
    const mapping = mappings.find(([, m]) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify(ref(functionIdOf('projections/project-change-feed'))));
    expect(mapping).toBeDefined();
    expect(mapping![1].Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.tables.events), 'StreamArn'] },
      DestinationConfig: { OnFailure: { Destination: arnOf(queue) } },
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
    });
    expect(mapping![1].Properties.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(mapping![1].Properties.MaximumRetryAttempts).toBeLessThanOrEqual(10);
    expect(mapping![1].Properties.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
    expect(mapping![1].Properties.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(86_400);
    const projector = actionsOf(statementsOfRole(resources, roleIdOf('projections/project-change-feed')));
    expect(projector).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'sqs:SendMessage']));
  });

  it('the on-failure queue is encrypted, refuses plain HTTP, and is alarmed on as soon as it holds a message', () => {
    const queueId = logicalIdOf(stack, stack.changeFeed.onFailure);
    expect(resources[queueId]!.Properties.SqsManagedSseEnabled).toBe(true);
    const policy = ofType('AWS::SQS::QueuePolicy').find(([, p]) => JSON.stringify(p.Properties.Queues).includes(queueId));
    expect(policy![1].Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const alarm = alarmEntries().find(([, a]) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Properties.Dimensions).includes(queueId));
    expect(alarm![1].Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
    expect(alarm![1].Properties.AlarmActions).toHaveLength(1);
  });
});

describe('workflows', () => {
  it('each workflow is a Standard state machine, logged at level ALL and traced, whose Task states invoke the functions of their modules', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    // And the rebuild's, started by an operator (test/infra/read-model-rebuild.test.ts).
    expect(machines).toHaveLength(workflows.length + 1);
    for (const workflow of workflows) {
      const machine = resources[logicalIdOf(stack, stack.workflows.stateMachines.get(workflow.name)!)]!;
      expect(machine.Properties).toMatchObject({
        StateMachineName: `${stack.stackName}-${workflow.name}`,
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
      const expected = Object.fromEntries(Object.entries(renderWorkflow(workflow).taskModules).map(([state, module]) => [state, `<<${functionIdOf(module)}>>`]));
      expect(Object.keys(expected).length, workflow.name).toBeGreaterThan(0);
      expect(taskTargets(definitionOf(machine)), workflow.name).toEqual(expected);
    }
  });

  it('functions know each state machine by its ARN; the scheduler role may start the capitalisation workflow only, the one its schedules target', () => {
    const states = statementsOfRole(resources, logicalIdOf(stack, stack.scheduler.role)).filter((st) => actionsOf([st]).some((a) => a.startsWith('states:')));
    expect(actionsOf(states)).toEqual(['states:StartExecution']);
    const machines = JSON.stringify(states[0]!.Resource).match(/:stateMachine:[^"]+"/g);
    expect(machines).toEqual([`:stateMachine:${stack.stackName}-capitalisation"`]);
    const fn = resources[functionIdOf('health/get-health')]!;
    for (const workflow of workflows) {
      expect(JSON.stringify(fn.Properties.Environment.Variables[stateMachineArnVariable(workflow.name)])).toContain(`:stateMachine:${stack.stackName}-${workflow.name}`);
    }
  });
});

describe('operations', () => {
  it('alarms on API 5xx', () => {
    const alarm = alarmEntries().find(([, a]) => a.Properties.MetricName === '5xx');
    expect(alarm![1].Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum' });
    expect(alarm![1].Properties.Dimensions).toEqual([{ Name: 'ApiId', Value: ref(logicalIdOf(stack, stack.http.api)) }]);
  });

  it('has a schedule group and a role only EventBridge Scheduler of this account can assume', () => {
    expect(ofType('AWS::Scheduler::ScheduleGroup')).toHaveLength(1);
    const role = resources[logicalIdOf(stack, stack.scheduler.role)]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } } }),
    ]);
  });
});

describe('deployable as it stands (issue 12)', () => {
  it('the start-up duties run at deploy time: a Trigger invokes the start-up function once the tables and the change feed exist', () => {
    const triggersFound = ofType('Custom::Trigger');
    expect(triggersFound).toHaveLength(1);
    const [id, trigger] = triggersFound[0]!;
    expect(JSON.stringify(trigger.Properties.HandlerArn)).toContain(functionIdOf(START_UP_MODULE).replace(/Handler[0-9A-F]{8}$/, 'Handler'));
    const dependsOn = trigger.DependsOn ?? [];
    for (const table of [stack.tables.events, stack.tables.readModels]) expect(dependsOn, id).toContain(logicalIdOf(stack, table));
    // The start-up function appends the referential to the ledger, and nothing more.
    const actions = actionsOf(statementsOfRole(resources, roleIdOf(START_UP_MODULE)));
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions.some((a) => a.startsWith('states:') || a.startsWith('kms:') || a.startsWith('s3:'))).toBe(false);
  });

  it('no route function may start a workflow: every reaction starts from the change feed (the ledger is the outbox)', () => {
    for (const route of deployed) {
      const actions = actionsOf(statementsOfRole(resources, roleIdOf(route.module)));
      expect(actions, route.module).not.toContain('states:StartExecution');
    }
    const reactions = statementsOfRole(resources, roleIdOf('reactions/react-to-change-feed')).filter((st) => actionsOf([st]).includes('states:StartExecution'));
    for (const workflow of WORKFLOW_NAMES) expect(JSON.stringify(reactions.map((st) => st.Resource))).toContain(`:stateMachine:${stack.stackName}-${workflow}"`);
  });

  it('the workflows the stack deploys are those the composition knows by name', () => {
    expect(workflows.map((w) => w.name).sort()).toEqual([...WORKFLOW_NAMES].sort());
  });
});

describe('least privilege (issue 18)', () => {
  it('no function of the ledger may Scan a table: reads are GetItem, Query and BatchGetItem on the keys served', () => {
    // Only the rebuild's replay and clearing may (test/infra/read-model-rebuild.test.ts).
    for (const [id] of ledgerFunctions()) {
      const roleId = (resources[id]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const actions = actionsOf(statementsOfRole(resources, roleId));
      expect(
        actions.filter((a) => /^dynamodb:(Scan|\*)$/.test(a)),
        id,
      ).toEqual([]);
    }
  });

  it('only the functions that append to the ledger may PutItem on the events table', () => {
    const events = logicalIdOf(stack, stack.tables.events);
    for (const [module, fn] of stack.functions.all()) {
      const puts = statementsOfRole(resources, logicalIdOf(stack, fn.role)).filter(
        (st) => actionsOf([st]).includes('dynamodb:PutItem') && JSON.stringify(st.Resource).includes(events),
      );
      expect(puts.length > 0, module).toBe(accessOf(module, routes.find((r) => r.module === module)?.method).events === 'append');
    }
  });
});

describe('least privilege of the timers (issue 18)', () => {
  it('the timer planner creates schedules only, and may pass the schedules role to EventBridge Scheduler only', () => {
    const statements = statementsOfRole(resources, roleIdOf('workflows/plan-usability-timers'));
    const scheduler = actionsOf(statements).filter((a) => a.startsWith('scheduler:'));
    expect(scheduler).toEqual(['scheduler:CreateSchedule']);
    const passRole = statements.filter((st) => actionsOf([st]).includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect((passRole[0] as unknown as { Condition: unknown }).Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });
});

describe('alarms someone receives (issue 18)', () => {
  const alarms = () => alarmEntries().map(([, a]) => a.Properties);
  const dimensionOf = (a: Record<string, any>) => JSON.stringify(a.Dimensions ?? []);
  const lambdaAlarms = () => alarms().filter((a) => a.Namespace === 'AWS/Lambda' && ['Errors', 'Throttles'].includes(a.MetricName));
  const namesOf = (functionId: string) =>
    lambdaAlarms()
      .filter((a) => dimensionOf(a) === JSON.stringify([{ Name: 'FunctionName', Value: ref(functionId) }]))
      .map((a) => a.AlarmName as string)
      .sort();

  it("every Lambda function of the stack, CDK's own included, has an errors alarm and a throttles alarm of its own", () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(60);
    for (const [id] of functions) {
      const own = lambdaAlarms().filter((a) => dimensionOf(a) === JSON.stringify([{ Name: 'FunctionName', Value: ref(id) }]));
      expect(own.map((a) => a.MetricName).sort(), id).toEqual(['Errors', 'Throttles']);
      for (const a of own) expect(a, id).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
    }
    // Nothing else: no alarm over several functions, none over a function the stack does not have.
    expect(lambdaAlarms()).toHaveLength(functions.length * 2);
  });

  it("each function's alarms are named after its module, the rebuild's as well, so the notification says which one", () => {
    const named = [
      ...[...stack.functions.all()].map(([module, fn]) => [module, logicalIdOf(stack, fn.handler)] as const),
      ...Object.entries(stack.rebuild.functions).map(([step, fn]) => [REBUILD_MODULES[step as keyof typeof REBUILD_MODULES], logicalIdOf(stack, fn.handler)] as const),
    ];
    expect(named.length).toBe(ledgerFunctions().length + rebuildFunctions().size);
    for (const [module, id] of named) {
      expect(namesOf(id), module).toEqual([`${stack.stackName}-Errors-${module}`, `${stack.stackName}-Throttles-${module}`]);
      for (const a of lambdaAlarms().filter((x) => dimensionOf(x).includes(`"${id}"`))) expect(a.AlarmDescription, module).toContain(module);
    }
    const names = alarms().map((a) => a.AlarmName as string);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every alarm notifies the alarm topic, and nothing else', () => {
    const [topicId] = Object.entries(monitoring.resources).find(([, r]) => r.Type === 'AWS::SNS::Topic')!;
    expect(alarms().length).toBeGreaterThan(100);
    for (const a of alarms()) expect(a.AlarmActions, a.AlarmName).toEqual([{ Ref: topicId }]);
  });

  it('each change-feed consumer has an iterator-age alarm', () => {
    for (const consumer of streamConsumers) {
      const age = alarms().find((a) => a.MetricName === 'IteratorAge' && dimensionOf(a).includes(functionIdOf(consumer.module)));
      expect(age, consumer.module).toMatchObject({ Statistic: 'Maximum', Threshold: 300_000 });
    }
  });

  it('failed and timed-out executions of each workflow and of the read-model rebuild are alarmed on', () => {
    const machines = [...workflows.map((w) => logicalIdOf(stack, stack.workflows.stateMachines.get(w.name)!)), logicalIdOf(stack, stack.rebuild.stateMachine)];
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      const of = alarms().filter((a) => a.MetricName === metric);
      expect(of, metric).toHaveLength(machines.length);
      for (const id of machines)
        expect(
          of.filter((a) => dimensionOf(a) === JSON.stringify([{ Name: 'StateMachineArn', Value: ref(id) }])),
          `${metric} ${id}`,
        ).toHaveLength(1);
    }
    const rebuild = alarms().filter((a) => dimensionOf(a).includes(`"${logicalIdOf(stack, stack.rebuild.stateMachine)}"`));
    expect(rebuild.map((a) => a.AlarmName).sort()).toEqual([`${stack.stackName}-Workflow-rebuild-read-models-Failed`, `${stack.stackName}-Workflow-rebuild-read-models-TimedOut`]);
  });

  it('a MODIFY or REMOVE of a commit reaches the projector, whose log raises the CommitOverwritten alarm', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    const of = (module: string) => mappings.find(([, m]) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify(ref(functionIdOf(module))))![1];
    expect(of('projections/project-change-feed').Properties.FilterCriteria).toBeUndefined();
    expect(JSON.stringify(of('reactions/react-to-change-feed').Properties.FilterCriteria)).toContain('INSERT');
    const [, filter] = Object.entries(monitoring.resources).find(
      ([, f]) => f.Type === 'AWS::Logs::MetricFilter' && f.Properties.FilterPattern.includes('ledger-commit-overwritten'),
    )!;
    expect(filter.Properties.LogGroupName).toEqual(ref(logicalIdOf(stack, functionOf('projections/project-change-feed').logGroup)));
    const alarm = alarms().find((a) => a.MetricName === filter.Properties.MetricTransformations[0].MetricName);
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarm!.AlarmActions).toHaveLength(1);
  });
});

describe('timers that cannot be lost (issue 18)', () => {
  it('schedules send what they cannot deliver to a dead-letter queue the schedules role may write to, alarmed on', () => {
    const queueId = logicalIdOf(stack, stack.scheduler.deadLetters);
    expect(resources[queueId]!.Type).toBe('AWS::SQS::Queue');
    const fn = resources[functionIdOf('workflows/plan-usability-timers')]!;
    expect(fn.Properties.Environment.Variables.SCHEDULER_DLQ_ARN).toEqual(arnOf(queueId));
    const sends = statementsOfRole(resources, logicalIdOf(stack, stack.scheduler.role)).filter((st) => actionsOf([st]).includes('sqs:SendMessage'));
    expect(JSON.stringify(sends.map((st) => st.Resource))).toContain(queueId);
    const alarm = alarmEntries().find(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []).includes(queueId));
    expect(alarm![1].Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });
});

describe('CloudFormation limits', () => {
  it('the stack stays within the 500 resources of one CloudFormation stack, with room for the routes to come', () => {
    // Each route costs a function, its role, an integration, a route and a permission (the log group is shared).
    expect(Object.keys(resources).length).toBeLessThan(450);
  });

  it('the alarms are one nested stack in it, within the 500 resources and 200 parameters a template may have', () => {
    expect(resources[monitoring.resourceId]!.Type).toBe('AWS::CloudFormation::Stack');
    expect(ofType('AWS::CloudWatch::Alarm')).toEqual([]);
    expect(Object.keys(monitoring.resources).length).toBeLessThan(450);
    // A parameter per name the alarms read from the parent (each function's, each queue's…).
    expect(monitoring.parameters.length).toBeLessThan(150);
  });
});
