import { getDenialReasons, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { Resolver } from './resolver.js';
import type { StackModel } from './template.js';

/**
 * IAM for the twin: each AWS call a function makes is decided against that function's role policies from
 * the template, by @cloud-copilot/iam-simulate (AGPL: the twin is a dev tool, no Lambda bundle imports it).
 */

export interface Caller {
  /** The function's logical id in the template. */
  functionLogicalId: string;
  /** Its physical name: the role session name, as Lambda names it. */
  functionName: string;
  roleArn: string;
  roleName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<function>`, what AWS names in a denial. */
  sessionArn: string;
  accountId: string;
  policies: { name: string; document: unknown }[];
}

export interface AccessRequest {
  /** `dynamodb:PutItem`, `s3:GetObject`, … */
  action: string;
  /** The ARN the action is on (`*` for actions on no resource). */
  resource: string;
  /** Condition keys of the request beyond the ones every call carries. */
  context?: Record<string, string | string[]>;
}

export type Decision = { allowed: true; result: 'Allowed' } | { allowed: false; result: 'ImplicitlyDenied' | 'ExplicitlyDenied' | 'Invalid'; message: string };

/** A resource-based policy (KMS key policy, bucket policy) that applies to an ARN, if any. */
export type ResourcePolicies = (resourceArn: string) => unknown;

/** Every function of the stack as a caller: its role, the role's policies resolved, its session. */
export function callersOf(model: StackModel, resolver: Resolver): Map<string, Caller> {
  const callers = new Map<string, Caller>();
  for (const fn of model.functions) {
    if (!fn.roleLogicalId) continue;
    const roleArn = resolver.getAtt(fn.roleLogicalId, 'Arn');
    const roleName = resolver.ref(fn.roleLogicalId);
    const functionName = resolver.ref(fn.logicalId);
    callers.set(fn.logicalId, {
      functionLogicalId: fn.logicalId,
      functionName,
      roleArn,
      roleName,
      sessionArn: `arn:aws:sts::${resolver.account}:assumed-role/${roleName}/${functionName}`,
      accountId: resolver.account,
      policies: resolver.rolePolicies(fn.roleLogicalId),
    });
  }
  return callers;
}

/**
 * The template's resource policies by the ARNs they govern: a KMS key's key policy (without which AWS denies
 * every use of the key, whatever the role says) and a bucket's policy for the bucket and its objects.
 */
export function resourcePoliciesOf(model: StackModel, resolver: Resolver): ResourcePolicies {
  const keys = new Map(model.kmsKeys.map((k) => [resolver.getAtt(k.logicalId, 'Arn'), resolver.resolve(k.keyPolicy)]));
  const buckets = new Map(model.bucketPolicies.map((b) => [`arn:aws:s3:::${resolver.resolveString(b.bucket)}`, resolver.resolve(b.document)]));
  return (arn) => {
    if (keys.has(arn)) return keys.get(arn);
    if (arn.startsWith('arn:aws:s3:::')) return buckets.get(`arn:aws:s3:::${arn.slice('arn:aws:s3:::'.length).split('/')[0]}`);
    return undefined;
  };
}

const regionOf = (arn: string) => arn.split(':')[3] ?? '';

/** What every request of a Lambda function carries: TLS (the SDK on Lambda uses HTTPS), its role and account. */
function baseContext(caller: Caller, request: AccessRequest): Record<string, string | string[]> {
  const now = new Date();
  const region = regionOf(request.resource);
  return {
    'aws:SecureTransport': 'true',
    'aws:PrincipalArn': caller.roleArn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': 'AssumedRole',
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    ...(region ? { 'aws:RequestedRegion': region } : {}),
  };
}

/** AWS's wording for a denied call (`User: … is not authorized to perform: … on resource: … because …`). */
export function denialMessage(caller: Caller, request: AccessRequest, because: string): string {
  return `User: ${caller.sessionArn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${because}`;
}

const POLICY_WORDS: Record<string, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
  pb: 'permissions boundary',
  session: 'session policy',
  vpce: 'VPC endpoint policy',
};

export async function authorise(caller: Caller, request: AccessRequest, resourcePolicy?: unknown): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: caller.sessionArn,
      action: request.action,
      resource: { resource: request.resource, accountId: caller.accountId },
      contextVariables: { ...baseContext(caller, request), ...request.context },
    },
    identityPolicies: caller.policies.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
  const outcome = await runSimulation(simulation, {});
  if (outcome.resultType === 'error') {
    // An action iam-data does not know, a policy that does not parse: AWS would not let it through either.
    return { allowed: false, result: 'Invalid', message: denialMessage(caller, request, `because the request could not be evaluated: ${outcome.errors.message}`) };
  }
  if (outcome.overallResult === 'Allowed') return { allowed: true, result: 'Allowed' };
  const analysis = outcome.resultType === 'single' ? outcome.result.analysis : outcome.results[0]?.analysis;
  const denials = analysis ? getDenialReasons(analysis) : [];
  const explicit = denials.find((d) => d.denialType === 'Explicit');
  const first = explicit ?? denials[0];
  const words = POLICY_WORDS[first?.policyType ?? 'identity'] ?? 'identity-based policy';
  const because = explicit ? `with an explicit deny in a ${words}` : `because no ${words} allows the ${request.action} action`;
  return { allowed: false, result: outcome.overallResult === 'ExplicitlyDenied' ? 'ExplicitlyDenied' : 'ImplicitlyDenied', message: denialMessage(caller, request, because) };
}
