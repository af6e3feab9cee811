import { CATALOGUE_PARTITION } from '../functions/projections/certification-catalogue.js';
import { type RouteEntry, routes } from '../functions/routes.js';

/** The catalogue's one partition, as a LeadingKeys pattern (no wildcard: it is the whole key). */
const CATALOGUE = CATALOGUE_PARTITION;

/**
 * What one function may touch in AWS. Anything not listed is denied: a function's IAM policy is built
 * from this and nothing else (plus writing to its own log group).
 */
export interface FunctionAccess {
  /** The ledger: `read` = GetItem/Query (never Scan); `append` = read + PutItem. No function may update or delete a commit. */
  events?: 'read' | 'append';
  readModels?: 'read' | 'write';
  /**
   * The partition keys (IAM StringLike patterns) the function's reads of the events and read-model tables are
   * limited to (condition `dynamodb:LeadingKeys`): a public function reads the certificate it serves, not the ledger.
   * An `append` function's PutItem is limited to its `events` keys too.
   */
  keys?: { events?: readonly string[]; readModels?: readonly string[] };
  /** The Idempotency-Key table (claim, complete, release). */
  idempotency?: 'write';
  /**
   * The person vault table and its KMS master key: `read` = GetItem + kms:Decrypt; `write` adds PutItem +
   * kms:GenerateDataKey; `erase` = GetItem + PutItem (the tombstone over a person's data key), no KMS.
   */
  vault?: 'read' | 'write' | 'erase';
  documents?: 'read' | 'write';
  exports?: 'read' | 'write';
  rateLimit?: 'write';
  /** The verification log: `read` = Query; `write` adds BatchWriteItem, UpdateItem and GetItem (the day's counter and tallies). */
  verifications?: 'read' | 'write';
  /** The access log (in the verifications table, under `access#<personId>`): `read` = Query; `write` = BatchWriteItem. */
  accessLog?: 'read' | 'write';
  /** The certificate signing key: `sign` = kms:Sign + kms:GetPublicKey; `publicKey` = kms:GetPublicKey (JWKS). */
  signing?: 'sign' | 'publicKey';
  /** SES sending (the notifier). */
  email?: boolean;
  /** Workflows (names as in infra/workflows/index.ts) this function starts. */
  startsWorkflows?: readonly string[];
  /**
   * Creates one-time EventBridge Scheduler schedules that start these workflows: the schedules' role may start them
   * (and no other state machine).
   */
  schedules?: readonly string[];
  /**
   * The user pool's accounts (the AccountDirectory), each route only the actions it makes: `invite` creates, adds to
   * the group, looks up (a re-invitation compares the link) and re-enables; `disable` looks up and disables.
   */
  accounts?: 'invite' | 'disable';
  /**
   * The sign-in records' table (functions/accounts/sign-ins.ts: by ledger id, the accounts' own ids, when each was
   * disabled, whether the person was erased): `check` = GetItem, what every authenticated route of the manifest is
   * given (withSignInCheck); `record` adds PutItem, for the account routes and the erasure.
   */
  signIns?: 'check' | 'record';
}

/** A GET reads; anything else appends to the ledger under an Idempotency-Key. */
export const defaultAccess = (method: RouteEntry['method'] | undefined): FunctionAccess =>
  method === 'GET' || method === undefined ? { events: 'read', readModels: 'read' } : { events: 'append', readModels: 'read', idempotency: 'write' };

/**
 * Per handler module (route, consumer or workflow step), when it needs something else than its default.
 * Keep it minimal: a key here replaces the default entirely.
 */
export const functionAccess: Record<string, FunctionAccess> = {
  'health/get-health': {},
  'openapi/get-openapi': {},
  // Public routes read the keys they serve and nothing else (`keys`, condition dynamodb:LeadingKeys): the catalogue
  // is one partition (functions/projections/certification-catalogue.ts).
  'certifications/list-certifications': { readModels: 'read', keys: { readModels: [CATALOGUE] } },
  'certifications/get-certification': { readModels: 'read', keys: { readModels: [CATALOGUE] } },
  'centres/list-centre-sessions': { readModels: 'read' },
  'centres/list-centres': { readModels: 'read' },
  'centres/get-centre': { readModels: 'read' },
  'jurors/list-juror-sessions': { readModels: 'read' },
  // Names decrypted for the request: the vault read; each candidate's name read written to their access log.
  'centres/list-centre-candidates': { readModels: 'read', vault: 'read', accessLog: 'write' },
  'jurors/list-jurors': { readModels: 'read', vault: 'read' },
  'sessions/get-session': { events: 'read', readModels: 'read', vault: 'read', accessLog: 'write' },
  'candidates/get-access-log': { readModels: 'read', accessLog: 'read' },
  'candidates/get-record': { events: 'read', readModels: 'read', vault: 'read', accessLog: 'write' },
  'candidates/register-candidate': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  'jurors/register-juror': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  // The birth date, decrypted only to refuse an équivalence decided before the candidate was born (never shown).
  'candidates/grant-equivalence': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'read' },
  // The erased person's accounts disabled and signed out, their tokens refused (their sign-in record).
  'candidates/erase-personal-data': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'erase', accounts: 'disable', signIns: 'record' },
  // Accounts: the ledger is read (the centre, juror or candidate must exist), never appended to; Cognito is written,
  // and the ledger id's sign-in record (the account's own id; when it was disabled, so its tokens are refused).
  'centres/invite-centre-account': { events: 'read', readModels: 'read', idempotency: 'write', accounts: 'invite', signIns: 'record' },
  'centres/disable-centre-account': { events: 'read', readModels: 'read', idempotency: 'write', accounts: 'disable', signIns: 'record' },
  'jurors/invite-juror-account': { events: 'read', readModels: 'read', idempotency: 'write', accounts: 'invite', signIns: 'record' },
  'jurors/disable-juror-account': { events: 'read', readModels: 'read', idempotency: 'write', accounts: 'disable', signIns: 'record' },
  'candidates/invite-candidate-account': { events: 'read', readModels: 'read', idempotency: 'write', accounts: 'invite', signIns: 'record' },
  'candidates/disable-candidate-account': { events: 'read', readModels: 'read', idempotency: 'write', accounts: 'disable', signIns: 'record' },
  // The recusal's reason goes to the candidate's vault entry (it may tell of their private life).
  'sessions/recuse-juror': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  // The measures are health data: the candidate's vault entry.
  'sessions/decide-accommodation': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  // The annulment's reason and legal basis, the jury's reason for overriding its grids: notes in the candidate's vault entry.
  'sessions/annul-decision': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  'sessions/propose-deliberation': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  // Public certificate routes: rate limited per client (the limiter writes its counters), each reading only the keys
  // it serves. Verify reads the certificate's document, its certification's catalogue entry, the issuance commit (when
  // the hash is not yet projected) and the holder's initials from the vault (person ids carry no role prefix, so the
  // vault grant cannot be narrowed by key; reading `key#…` is how an erased holder shows as erased).
  'certificates/verify-certificate': {
    events: 'read',
    readModels: 'read',
    keys: { events: ['certificate#*'], readModels: ['certificate#*', CATALOGUE] },
    rateLimit: 'write',
    vault: 'read',
    verifications: 'write',
  },
  // The credential and the PDF are in the certificate's document (its JWS, the PDF's key and SHA-256): no ledger, no vault.
  'certificates/get-credential': { readModels: 'read', keys: { readModels: ['certificate#*'] }, rateLimit: 'write' },
  'certificates/get-certificate-pdf': { readModels: 'read', keys: { readModels: ['certificate#*'] }, rateLimit: 'write', documents: 'read' },
  // The holder's copy: the name and birth date decrypted for the request (vault read, KMS decrypt), the read written to
  // their access log; rendered, never stored.
  'certificates/get-named-certificate-pdf': { readModels: 'read', vault: 'read', accessLog: 'write' },
  // Each status change's reason and legal basis, read from the holder's vault entry (a placeholder once erased).
  'certificates/list-verifications': { events: 'read', readModels: 'read', verifications: 'read', vault: 'read' },
  // The reason and legal basis an agent types may name the holder: a note in the holder's vault entry (README, Privacy).
  'certificates/suspend-certificate': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  'certificates/reinstate-certificate': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  'certificates/revoke-certificate': { events: 'append', readModels: 'read', idempotency: 'write', vault: 'write' },
  // The issuers' keys and documents: the certifiers are those of the catalogue.
  'certificates/get-jwks': { readModels: 'read', keys: { readModels: [CATALOGUE] }, signing: 'publicKey' },
  'certificates/get-did-document': { readModels: 'read', keys: { readModels: [CATALOGUE] }, signing: 'publicKey' },
  // Signs the list it serves (CloudFront keeps it STATUS_LIST_MAX_AGE_SECONDS): the list's revoked entries, its certifier.
  'certificates/get-status-list': { readModels: 'read', keys: { readModels: [CATALOGUE, 'status-list#*'] }, signing: 'sign' },
  // The wallet (OpenID4VCI): metadata and keys; the endpoints redeem codes (append), sign tokens, nonces and the
  // SD-JWT VC, and read the holder's names (and the PIN's secret) from the vault.
  'wallet/get-well-known': { signing: 'publicKey' },
  // A certifier's SD-JWT VC keys (the catalogue names the certifiers); the credential types' metadata (no access).
  'wallet/get-jwt-vc-issuer': { readModels: 'read', keys: { readModels: [CATALOGUE] }, signing: 'publicKey' },
  'wallet/get-credential-type': {},
  // Its ledger is the offer's own stream (read and appended to); its read models the certificate and the catalogue.
  'wallet/oid4vci-endpoint': {
    events: 'append',
    readModels: 'read',
    keys: { events: ['wallet-offer#*'], readModels: ['certificate#*', CATALOGUE] },
    vault: 'read',
    signing: 'sign',
  },
  // A read: signs the pre-authorised code and derives its PIN from the holder's vault key; records nothing.
  'wallet/get-credential-offer': { readModels: 'read', vault: 'read', signing: 'sign' },
  'statistics/export-statistics': { readModels: 'read', idempotency: 'write', exports: 'write' },
  // Reads the object (404 when absent) and signs its download URL with the function's own role: s3:GetObject.
  'statistics/download-export': { exports: 'read' },
  'projections/project-change-feed': { events: 'read', readModels: 'write' },
  // The reactions: the workflows started from the feed (the outbox), compensations appended, each notification emailed
  // once (its claim in the idempotency table; the address from the vault).
  'reactions/react-to-change-feed': {
    startsWorkflows: ['session', 'capitalisation', 'equivalence'],
    events: 'append',
    readModels: 'read',
    idempotency: 'write',
    vault: 'read',
    email: true,
  },
  // The start-up duties (the referential), run by the deployment's Trigger.
  'start-up/run-start-up-duties': { events: 'append', readModels: 'read' },
  // Workflow steps (infra/workflows): no Idempotency-Key, the execution and the command ids make them idempotent.
  'workflows/load-pv-outcomes': { events: 'read', readModels: 'read' },
  'workflows/record-session-outcome': { events: 'append', readModels: 'read' },
  'workflows/issue-session-certificates': { events: 'append', readModels: 'read' },
  'workflows/render-certificate-pdfs': { documents: 'write' },
  'workflows/attach-certificate-documents': { events: 'append', readModels: 'read', signing: 'sign' },
  'workflows/notify-session-results': { events: 'append', readModels: 'read' },
  'workflows/report-session-issuance': {},
  'workflows/issue-equivalence-certificates': { events: 'append', readModels: 'read' },
  'workflows/notify-equivalence': { events: 'append', readModels: 'read' },
  // Schedules its timers; a timer already due starts the capitalisation workflow at once.
  'workflows/plan-usability-timers': { events: 'read', readModels: 'read', schedules: ['capitalisation'], startsWorkflows: ['capitalisation'] },
  'workflows/send-usability-reminder': { events: 'append', readModels: 'read' },
  'workflows/check-usability': { events: 'append', readModels: 'read' },
  // The origin secret's rotation: the secret and the distribution only (infra/constructs/ledger-origin-secret.ts).
  'edge/rotate-origin-secret': {},
  // The pre sign-up trigger: its Cognito grants are on the pool alone (infra/constructs/ledger-sign-in.ts).
  'accounts/link-federated-sign-in': {},
  // The OIDC relay Cognito calls for FranceConnect and ProConnect: it reaches the providers over HTTPS, nothing of the ledger.
  'accounts/oidc-relay': {},
};

/** The deployed routes that take a token: each reads its caller's sign-in record (functions/shared/dispatch.ts). */
const AUTHENTICATED_ROUTES: ReadonlySet<string> = new Set(routes.filter((r) => r.auth !== 'public' && !r.localOnly).map((r) => r.module));

/**
 * An authenticated route's access with the sign-in check added (GetItem on the sign-in records' table): derived from
 * the route manifest, so a new authenticated route cannot be deployed without it; a public route, a consumer or a
 * workflow step never gets it.
 */
export const withSignInCheck = (module: string, access: FunctionAccess): FunctionAccess =>
  AUTHENTICATED_ROUTES.has(module) && !access.signIns ? { ...access, signIns: 'check' } : access;

export const accessOf = (module: string, method?: RouteEntry['method']): FunctionAccess => withSignInCheck(module, functionAccess[module] ?? defaultAccess(method));
