import * as z from '../../events/zod.js';

/**
 * The workflows the stack deploys, by name. infra/workflows/index.ts defines them (with aws-cdk-lib, which no
 * Lambda bundle may import); test/infra checks that both lists agree.
 */
export const WORKFLOW_NAMES = ['session', 'capitalisation', 'equivalence'] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];

/** SESSION_STATE_MACHINE_ARN for `session`. */
export const stateMachineArnVariable = (name: string) => `${name.replace(/-/g, '_').toUpperCase()}_STATE_MACHINE_ARN`;

const name = z.string().check(z.minLength(1, 'is not set'));
const positiveInteger = z.coerce.number().check(z.int(), z.positive());

/** Earlier KMS signing keys with their windows (after a rotation), as a JSON list (read by kmsSigningKeys). */
const SigningKeyHistory = z.string().check(
  z.refine((text) => {
    try {
      return z.array(z.object({ keyId: name, validFrom: z.optional(z.string()), validUntil: z.optional(z.string()) })).safeParse(JSON.parse(text)).success;
    } catch {
      return false;
    }
  }, 'is not a JSON list of {keyId, validFrom?, validUntil?}'),
);

/**
 * Every variable a Lambda function of the ledger reads, parsed once at cold start. infra/ sets the functions'
 * environment from these very names (LedgerFunctions), so a variable the code needs and the stack forgets fails
 * the infra tests, and at worst the cold start, naming it — never a request.
 */
export const AwsEnvironment = z.object({
  EVENTS_TABLE: name,
  READ_MODELS_TABLE: name,
  IDEMPOTENCY_TABLE: name,
  PERSON_VAULT_TABLE: name,
  RATE_LIMIT_TABLE: name,
  VERIFICATIONS_TABLE: name,
  /** Each ledger id's sign-in record (functions/accounts/sign-ins.ts): its own table, which no read-model rebuild replaces. */
  SIGN_INS_TABLE: name,
  DOCUMENTS_BUCKET: name,
  EXPORTS_BUCKET: name,
  VAULT_KEY_ID: name,
  SIGNING_KEY_ID: name,
  SIGNING_KEY_VALID_FROM: z.optional(z.string().check(z.minLength(1))),
  SIGNING_KEY_HISTORY: z.optional(SigningKeyHistory),
  SCHEDULER_GROUP: name,
  /** The Cognito user pool whose accounts the …/accounts routes invite. */
  USER_POOL_ID: name,
  SCHEDULER_ROLE_ARN: name,
  /** Where a schedule whose target keeps failing is sent (alarmed on). */
  SCHEDULER_DLQ_ARN: name,
  SESSION_STATE_MACHINE_ARN: name,
  CAPITALISATION_STATE_MACHINE_ARN: name,
  EQUIVALENCE_STATE_MACHINE_ARN: name,
  /** Printed in every certificate's QR code. */
  PUBLIC_BASE_URL: z.url(),
  /** A development stage marks its pages, credentials and PDFs as specimens. @default production */
  LEDGER_STAGE: z.optional(z.enum(['production', 'development'])),
  /** The secret CloudFront sends as an origin header: only then is its CloudFront-Viewer-Address believed. */
  ORIGIN_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
  /**
   * `true` where the API is behind CloudFront (a production stage): a request without the origin secret came
   * around the distribution (its WAF) by the execute-api address, and is refused (functions/shared/lambda.ts).
   */
  API_BEHIND_CLOUDFRONT: z.optional(z.enum(['true'])),
  PUBLIC_RATE_LIMIT: z._default(positiveInteger, 300),
  PUBLIC_RATE_WINDOW_SECONDS: z._default(positiveInteger, 60),
  /** Email needs a verified SES identity; without one, the CandidateNotified events are all there is. */
  SES_IDENTITY: z.optional(z.string().check(z.minLength(1))),
});
export type AwsEnvironment = z.infer<typeof AwsEnvironment>;
export type AwsVariable = keyof typeof AwsEnvironment.shape;
type AwsInput = z.input<typeof AwsEnvironment>;
/** The variables without a default: every function must be given them. */
export type RequiredAwsVariable = { [K in keyof AwsInput]-?: undefined extends AwsInput[K] ? never : K }[keyof AwsInput];

/** The names infra/ must set on every function, and those it may. */
const AWS_VARIABLES = Object.keys(AwsEnvironment.shape) as AwsVariable[];
export const REQUIRED_AWS_VARIABLES = AWS_VARIABLES.filter((v) => !AwsEnvironment.shape[v].safeParse(undefined).success) as RequiredAwsVariable[];

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** At cold start: the environment, or an error that names every variable missing or wrong. */
export function parseAwsEnvironment(env: Record<string, string | undefined> = process.env): AwsEnvironment {
  const parsed = AwsEnvironment.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? '?')} ${issue.message}`);
  throw new ConfigurationError(`the function's environment is incomplete: ${problems.join('; ')}`);
}

/** The public verification budget per client address (PUBLIC_RATE_LIMIT per PUBLIC_RATE_WINDOW_SECONDS). */
export const publicRateLimitOf = (env: Pick<AwsEnvironment, 'PUBLIC_RATE_LIMIT' | 'PUBLIC_RATE_WINDOW_SECONDS'>) => ({
  limit: env.PUBLIC_RATE_LIMIT,
  windowSeconds: env.PUBLIC_RATE_WINDOW_SECONDS,
});

/** The same two settings for `npm start`, from its environment (defaults: 300 a minute). */
export const LocalRateLimit = z.pick(AwsEnvironment, { PUBLIC_RATE_LIMIT: true, PUBLIC_RATE_WINDOW_SECONDS: true });
