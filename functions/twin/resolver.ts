import { createHash } from 'node:crypto';
import type { CfnResource, StackModel, StateMachine } from './template.js';

/**
 * CloudFormation's intrinsic functions, evaluated against local stand-ins: every resource gets a fake but
 * consistent physical name and ARN (account 000000000000, the stack's region), derived from the stack name
 * and logical id only, so a restart finds the same tables and buckets under LEDGER_DATA_DIR.
 */

export const LOCAL_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'eu-west-3';

export interface ResolverOptions {
  account?: string;
  /** The stack's own region when it names one; this otherwise. */
  region?: string;
  /**
   * Physical values the twin knows better than a derivation: `LogicalId` for Ref (and the name its ARN and
   * attributes are built on), `LogicalId.Attr` for
   * Fn::GetAtt (a Cognito pool id chosen by cognito-local, the public URL of the local server, …).
   */
  overrides?: Record<string, string>;
}

export class UnresolvableIntrinsic extends Error {}

/** Fn::If's AWS::NoValue: dropped from the object or list that holds it. */
const NO_VALUE = Symbol('AWS::NoValue');

export interface Resolver {
  readonly account: string;
  readonly region: string;
  /** A template value with every intrinsic evaluated. */
  resolve(value: unknown): unknown;
  /** The same, for a value that must end up a string. */
  resolveString(value: unknown, what?: string): string;
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): string;
  /** Every resource's Ref and, where it has one, Arn. */
  physicalIds(): Record<string, { ref: string; arn: string | undefined }>;
  /** The ASL of a state machine, parsed, its Fn::Join / Fn::Sub and DefinitionSubstitutions applied. */
  stateMachineDefinition(machine: StateMachine): Record<string, unknown>;
  /** The identity policies of a role with concrete ARNs. */
  rolePolicies(roleLogicalId: string): { name: string; document: unknown }[];
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** A deterministic string of `length` characters from `alphabet`, seeded by `seed`. */
function derived(seed: string, alphabet: string, length: number): string {
  let out = '';
  let block = digest(seed);
  for (let i = 0; out.length < length; i++) {
    if (i >= block.length) {
      block = digest(block.toString('hex'));
      i = 0;
    }
    out += alphabet[block[i]! % alphabet.length];
  }
  return out;
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = `${UPPER_ALNUM}abcdefghijklmnopqrstuvwxyz`;

function uuidOf(seed: string): string {
  const h = digest(seed).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function createResolver(model: StackModel, options: ResolverOptions = {}): Resolver {
  const account = options.account ?? model.account ?? LOCAL_ACCOUNT;
  const region = model.region ?? options.region ?? DEFAULT_REGION;
  const overrides = options.overrides ?? {};
  const { Resources: resources, Conditions: conditions = {}, Mappings: mappings = {}, Parameters: parameters = {} } = model.template;
  const stack = model.stackName;
  const seed = (id: string) => `${stack}/${id}`;

  const pseudo: Record<string, string> = {
    'AWS::AccountId': account,
    'AWS::Region': region,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stack,
    'AWS::StackId': `arn:aws:cloudformation:${region}:${account}:stack/${stack}/${uuidOf(stack)}`,
    'AWS::NotificationARNs': '',
  };

  const resourceOf = (id: string): CfnResource => {
    const r = resources[id];
    if (!r) throw new UnresolvableIntrinsic(`no resource ${id} in the template of ${stack}`);
    return r;
  };

  /** CloudFormation's `<stack>-<logicalId>-<random>`, without the random part, within `max` characters. */
  const generatedName = (id: string, max = 64, lower = false) => {
    const full = `${stack}-${id}`.replace(/[^A-Za-z0-9-]/g, '');
    const name = lower ? full.toLowerCase() : full;
    // Truncated names keep a suffix of the full one's hash, so two long logical ids never collide.
    return name.length <= max ? name : `${name.slice(0, max - 9)}-${derived(full, LOWER_ALNUM, 8)}`;
  };

  // Explicit names may themselves be intrinsics (`Fn::Join` of the stack name, …).
  const named = (id: string, property: string, fallback: () => string) => {
    const value = resourceOf(id).Properties[property];
    return value === undefined ? fallback() : resolveString(value, `${id}.${property}`);
  };

  const nameOf = (id: string): string => {
    // A physical id a local service chose (cognito-local's pool ids): its ARN and attributes are built on it too.
    if (id in overrides) return overrides[id]!;
    const r = resourceOf(id);
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return named(id, 'TableName', () => generatedName(id, 255));
      case 'AWS::S3::Bucket':
        return named(id, 'BucketName', () => generatedName(id, 63, true));
      case 'AWS::Lambda::Function':
        return named(id, 'FunctionName', () => generatedName(id, 64));
      case 'AWS::IAM::Role':
        return named(id, 'RoleName', () => generatedName(id, 64));
      case 'AWS::IAM::ManagedPolicy':
        return named(id, 'ManagedPolicyName', () => generatedName(id, 128));
      case 'AWS::Logs::LogGroup':
        return named(id, 'LogGroupName', () => generatedName(id, 512));
      case 'AWS::StepFunctions::StateMachine':
        return named(id, 'StateMachineName', () => generatedName(id, 80));
      case 'AWS::SQS::Queue':
        return named(id, 'QueueName', () => generatedName(id, 80));
      case 'AWS::SNS::Topic':
        return named(id, 'TopicName', () => generatedName(id, 256));
      case 'AWS::Scheduler::ScheduleGroup':
      case 'AWS::Scheduler::Schedule':
        return named(id, 'Name', () => generatedName(id, 64));
      case 'AWS::Cognito::UserPool':
        return `${region}_${derived(seed(id), ALNUM, 9)}`;
      case 'AWS::Cognito::UserPoolClient':
        return derived(seed(id), LOWER_ALNUM, 26);
      case 'AWS::KMS::Key':
        return uuidOf(seed(id));
      default:
        return generatedName(id);
    }
  };

  const arnOf = (id: string): string | undefined => {
    const r = resourceOf(id);
    const name = nameOf(id);
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${account}:function:${name}`;
      case 'AWS::IAM::Role': {
        const path = typeof r.Properties.Path === 'string' ? r.Properties.Path : '/';
        return `arn:aws:iam::${account}:role${path}${name}`;
      }
      case 'AWS::IAM::ManagedPolicy':
        return `arn:aws:iam::${account}:policy/${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${account}:${name}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${account}:${name}`;
      case 'AWS::Scheduler::ScheduleGroup':
        return `arn:aws:scheduler:${region}:${account}:schedule-group/${name}`;
      case 'AWS::Cognito::UserPool':
        return `arn:aws:cognito-idp:${region}:${account}:userpool/${name}`;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${region}:${account}:key/${name}`;
      case 'AWS::ApiGatewayV2::Api':
        return `arn:aws:apigateway:${region}::/apis/${apiId(id)}`;
      default:
        return undefined;
    }
  };

  const apiId = (id: string) => derived(seed(id), LOWER_ALNUM, 10);

  const ref = (id: string): string => {
    if (id in pseudo) return pseudo[id]!;
    if (id in overrides) return overrides[id]!;
    if (id in parameters && !(id in resources)) {
      const d = parameters[id]!.Default;
      if (d === undefined) throw new UnresolvableIntrinsic(`parameter ${id} has no default`);
      return String(d);
    }
    const r = resourceOf(id);
    switch (r.Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
      case 'AWS::IAM::ManagedPolicy':
        return arnOf(id)!;
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${account}/${nameOf(id)}`;
      case 'AWS::Lambda::Version':
        return `${resolveString(r.Properties.FunctionName, `${id}.FunctionName`).replace(/^(?!arn:)/, `arn:aws:lambda:${region}:${account}:function:`)}:1`;
      case 'AWS::Lambda::Alias':
        return `${resolveString(r.Properties.FunctionName, `${id}.FunctionName`)}:${resolveString(r.Properties.Name)}`;
      case 'AWS::Cognito::UserPoolGroup':
        return named(id, 'GroupName', () => generatedName(id));
      case 'AWS::Cognito::UserPoolDomain':
        return resolveString(r.Properties.Domain, `${id}.Domain`);
      case 'AWS::KMS::Alias':
        return resolveString(r.Properties.AliasName, `${id}.AliasName`);
      case 'AWS::ApiGatewayV2::Api':
        return apiId(id);
      case 'AWS::CloudFront::Distribution':
        return `E${derived(seed(id), UPPER_ALNUM, 13)}`;
      default:
        if (r.Type.startsWith('AWS::ApiGatewayV2::')) return derived(seed(id), LOWER_ALNUM, 7);
        return nameOf(id);
    }
  };

  const getAtt = (id: string, attribute: string): string => {
    const key = `${id}.${attribute}`;
    if (key in overrides) return overrides[key]!;
    const r = resourceOf(id);
    const name = () => nameOf(id);
    const byType: Record<string, Record<string, () => string>> = {
      'AWS::DynamoDB::Table': { StreamArn: () => `${arnOf(id)}/stream/1970-01-01T00:00:00.000` },
      'AWS::DynamoDB::GlobalTable': { StreamArn: () => `${arnOf(id)}/stream/1970-01-01T00:00:00.000`, TableId: () => uuidOf(seed(id)) },
      'AWS::S3::Bucket': {
        DomainName: () => `${name()}.s3.amazonaws.com`,
        RegionalDomainName: () => `${name()}.s3.${region}.amazonaws.com`,
        WebsiteURL: () => `http://${name()}.s3-website.${region}.amazonaws.com`,
      },
      'AWS::IAM::Role': { RoleId: () => `AROA${derived(seed(id), UPPER_ALNUM, 17)}` },
      'AWS::KMS::Key': { KeyId: () => name() },
      'AWS::StepFunctions::StateMachine': { Name: name },
      'AWS::SQS::Queue': { QueueName: name, QueueUrl: () => ref(id) },
      'AWS::SNS::Topic': { TopicName: name, TopicArn: () => ref(id) },
      'AWS::Cognito::UserPool': {
        UserPoolId: name,
        ProviderName: () => `cognito-idp.${region}.amazonaws.com/${name()}`,
        ProviderURL: () => `https://cognito-idp.${region}.amazonaws.com/${name()}`,
      },
      'AWS::Cognito::UserPoolClient': { ClientId: () => ref(id) },
      'AWS::ApiGatewayV2::Api': { ApiId: () => ref(id), ApiEndpoint: () => `https://${ref(id)}.execute-api.${region}.amazonaws.com` },
      'AWS::CloudFront::Distribution': { DomainName: () => `${derived(seed(id), LOWER_ALNUM, 14)}.cloudfront.net`, Id: () => ref(id) },
      'AWS::Lambda::Version': { Version: () => '1' },
    };
    const special = byType[r.Type]?.[attribute];
    if (special) return special();
    if (attribute === 'Arn') {
      const arn = arnOf(id);
      if (arn) return arn;
    }
    throw new UnresolvableIntrinsic(`Fn::GetAtt ${id}.${attribute}: the twin does not know attribute ${attribute} of ${r.Type}`);
  };

  const condition = (name: string): boolean => {
    if (!(name in conditions)) throw new UnresolvableIntrinsic(`no condition ${name}`);
    return Boolean(resolve(conditions[name]));
  };

  const sub = (text: string, vars: Record<string, unknown>): string =>
    text.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      if (inner in vars) return String(resolve(vars[inner]));
      if (inner in pseudo || !inner.includes('.')) return ref(inner);
      const dot = inner.indexOf('.');
      return getAtt(inner.slice(0, dot), inner.slice(dot + 1));
    });

  const intrinsic = (name: string, arg: unknown): unknown => {
    switch (name) {
      case 'Ref':
        if (arg === 'AWS::NoValue') return NO_VALUE;
        return ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, attr] = typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : (arg as unknown[]);
        return getAtt(String(id), String(resolve(attr)));
      }
      case 'Fn::Join': {
        const [delimiter, list] = arg as [string, unknown];
        return (resolve(list) as unknown[]).map((v) => String(v)).join(delimiter);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, {}];
        return sub(String(text), (vars ?? {}) as Record<string, unknown>);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const items = resolve(list) as unknown[];
        const i = Number(resolve(index));
        if (!Array.isArray(items) || i < 0 || i >= items.length) throw new UnresolvableIntrinsic(`Fn::Select index ${i} out of range`);
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, text] = arg as [string, unknown];
        return String(resolve(text)).split(delimiter);
      }
      case 'Fn::If': {
        const [cond, a, b] = arg as [string, unknown, unknown];
        return resolve(condition(cond) ? a : b);
      }
      case 'Fn::Equals': {
        const [a, b] = arg as [unknown, unknown];
        return JSON.stringify(resolve(a)) === JSON.stringify(resolve(b));
      }
      case 'Fn::And':
        return (arg as unknown[]).every((c) => Boolean(resolve(c)));
      case 'Fn::Or':
        return (arg as unknown[]).some((c) => Boolean(resolve(c)));
      case 'Fn::Not':
        return !resolve((arg as unknown[])[0]);
      case 'Condition':
        return condition(String(arg));
      case 'Fn::FindInMap': {
        const [map, top, second] = (arg as unknown[]).map((v) => String(resolve(v)));
        const value = mappings[map!]?.[top!]?.[second!];
        if (value === undefined) throw new UnresolvableIntrinsic(`Fn::FindInMap ${map}.${top}.${second}: not in the template`);
        return resolve(value);
      }
      case 'Fn::Base64':
        return Buffer.from(String(resolve(arg))).toString('base64');
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${region}${z}`);
      case 'Fn::ImportValue':
        throw new UnresolvableIntrinsic('Fn::ImportValue: the twin runs one stack, it has no other stack to import from');
      default:
        throw new UnresolvableIntrinsic(`intrinsic ${name} is not supported by the twin`);
    }
  };

  const isIntrinsic = (key: string) => key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');

  function resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE);
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && isIntrinsic(entries[0]![0])) return intrinsic(entries[0]![0], entries[0]![1]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const r = resolve(v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  function resolveString(value: unknown, what = 'value'): string {
    const r = resolve(value);
    if (typeof r !== 'string' && typeof r !== 'number' && typeof r !== 'boolean') {
      throw new UnresolvableIntrinsic(`${what} resolves to ${JSON.stringify(r)}, not a string`);
    }
    return String(r);
  }

  return {
    account,
    region,
    resolve: (value) => {
      const r = resolve(value);
      return r === NO_VALUE ? undefined : r;
    },
    resolveString,
    ref,
    getAtt,
    physicalIds: () =>
      Object.fromEntries(
        Object.keys(resources).flatMap((id) => {
          try {
            return [[id, { ref: ref(id), arn: arnOf(id) }]];
          } catch {
            return []; // a resource whose name depends on something the twin cannot resolve: not addressable
          }
        }),
      ),
    stateMachineDefinition: (machine) => {
      const raw = resolve(machine.definition);
      let text = typeof raw === 'string' ? raw : JSON.stringify(raw);
      for (const [key, v] of Object.entries(machine.definitionSubstitutions)) text = text.split(`\${${key}}`).join(resolveString(v, `DefinitionSubstitutions.${key}`));
      return JSON.parse(text) as Record<string, unknown>;
    },
    rolePolicies: (roleLogicalId) => {
      const role = model.roles.find((r) => r.roleLogicalId === roleLogicalId);
      if (!role) throw new UnresolvableIntrinsic(`no role ${roleLogicalId} in the template`);
      return role.policies.map((p) => ({ name: p.name, document: resolve(p.document) }));
    },
  };
}
