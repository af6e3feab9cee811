import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { constructIdOf } from '../../infra/constructs/ledger-functions.js';
import { accessOf } from '../../infra/function-access.js';
import { ledgerApp } from '../../infra/ledger-app.js';
import { startTwin, type Twin } from '../../functions/twin/twin.js';
import { ensureSynth } from '../../functions/twin/synth.js';
import { projectRoot, SYNTH_TIMEOUT } from './synthesized.js';

/**
 * Two deployment mistakes, made in the stack's own definition, shown as a deployment would show them. Every journey
 * begins with the catalogue, served by `certifications/list-certifications` from the read models. A grant of a port
 * the bundles leave out when it is missing (the signer, the vault…: infra/bundling/options.ts grantDefines) fails in
 * the function itself, naming the grant (test/infra/grant-bundling.test.ts); a DynamoDB table's reaches AWS, which
 * denies the call.
 */
const work = mkdtempSync(join(tmpdir(), 'twin-mistakes-'));
// A cloud assembly of its own inside the project, as cdk.out is: the bundles leave @aws-sdk/* to the runtime,
// which the twin does not provide, so they must resolve it from the project's node_modules.
mkdirSync(join(projectRoot, '.twin-scratch'), { recursive: true });
const scratch = mkdtempSync(join(projectRoot, '.twin-scratch', 'mistakes-'));
const CATALOGUE_MODULE = 'certifications/list-certifications';
// The employers' journey begins with the JWKS (to check a credential offline), served by `certificates/get-jwks`.
const JWKS_MODULE = 'certificates/get-jwks';
let twin: Twin | undefined;

afterAll(async () => {
  await twin?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** The physical name (as the twin names it, from the template) of the function of a handler module. */
const functionOf = (t: Twin, module: string) => {
  const fn = t.model.functions.find((f) => String(t.model.template.Resources[f.logicalId]?.Metadata?.['aws:cdk:path'] ?? '').includes(`/${constructIdOf(module)}/`));
  if (!fn) throw new Error(`no function for ${module}`);
  return { name: t.resolver.ref(fn.logicalId) };
};

describe('deployment mistakes, on the twin', () => {
  it(
    "a grant removed from infra/function-access.ts (through the stack's access prop): the journey fails, the call denied with AccessDeniedException naming the function and the action",
    async () => {
      const granted = accessOf(CATALOGUE_MODULE);
      expect(granted.readModels).toBe('read');
      const { readModels: _forgotten, ...rest } = granted;
      const outdir = join(scratch, 'without-grant.out');
      // Synthesised as `cdk synth` does, bundles included, with one grant fewer.
      ledgerApp({
        nag: false,
        outdir,
        context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true },
        stack: { access: { [CATALOGUE_MODULE]: rest } },
      }).app.synth();
      const log: string[] = [];
      twin = await startTwin({ root: projectRoot, cdkOut: outdir, dataDir: join(work, 'grant-data'), port: 0, log: (line) => log.push(line) });
      const res = await fetch(`${twin.url}/certifications`);
      expect(res.status).toBe(500);
      expect(((await res.json()) as { type: string }).type).toBe('/problems/internal-error');
      const { name } = functionOf(twin, CATALOGUE_MODULE);
      // The gateway's denial, in AWS's words: the function's role and name, the action, the table.
      expect(log).toContainEqual(
        expect.stringMatching(
          new RegExp(`^denied ${name}: User: arn:aws:sts::\\d+:assumed-role/[^/]+/${name} is not authorized to perform: dynamodb:\\w+ on resource: arn:aws:dynamodb:`),
        ),
      );
      // The function's own log: the SDK's AccessDeniedException behind its error.
      expect(log).toContainEqual(expect.stringMatching(new RegExp(`^\\[${name}\\] .*"level":"ERROR".*AccessDeniedException`)));
      await twin.stop();
      twin = undefined;
    },
    SYNTH_TIMEOUT,
  );

  it(
    'an environment variable the function reads, absent from the template: the function fails at cold start, naming it',
    async () => {
      // The stack of cdk.out, its template with one variable fewer for one function; the assets are the same files.
      const { outdir } = await ensureSynth({ root: projectRoot });
      const copy = join(work, 'without-variable.out');
      mkdirSync(copy);
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
      const templateFile = Object.values(manifest.artifacts).find((a) => a.type === 'aws:cloudformation:stack')!.properties!.templateFile!;
      for (const entry of readdirSync(outdir)) if (entry !== templateFile) symlinkSync(join(outdir, entry), join(copy, entry));
      const template = JSON.parse(readFileSync(join(outdir, templateFile), 'utf8')) as {
        Resources: Record<string, { Type: string; Metadata?: Record<string, unknown>; Properties?: { Environment?: { Variables?: Record<string, unknown> } } }>;
      };
      const [logicalId, jwks] = Object.entries(template.Resources).find(
        ([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Metadata?.['aws:cdk:path']).includes(`/${constructIdOf(JWKS_MODULE)}/`),
      )!;
      expect(jwks.Properties!.Environment!.Variables).toHaveProperty('SIGNING_KEY_ID');
      delete jwks.Properties!.Environment!.Variables!.SIGNING_KEY_ID;
      writeFileSync(join(copy, templateFile), JSON.stringify(template));

      twin = await startTwin({ root: projectRoot, cdkOut: copy, dataDir: join(work, 'variable-data'), port: 0 });
      // API Gateway's own answer to a function that failed: no problem+json, the function never ran its handler.
      const res = await fetch(`${twin.url}/.well-known/jwks.json`);
      expect([res.status, await res.json()]).toEqual([500, { message: 'Internal Server Error' }]);
      const out = await twin.host.invoke(logicalId, {
        version: '2.0',
        rawPath: '/.well-known/jwks.json',
        requestContext: { http: { method: 'GET', path: '/.well-known/jwks.json' } },
        headers: {},
      });
      expect(out.ok).toBe(false);
      expect(!out.ok && out.error).toMatchObject({ errorType: 'ConfigurationError', errorMessage: expect.stringContaining('SIGNING_KEY_ID') });
      // Every other function is untouched: the catalogue still answers.
      expect((await fetch(`${twin.url}/certifications`)).status).toBe(200);
    },
    SYNTH_TIMEOUT,
  );
});
