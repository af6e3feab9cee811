import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../infra/paths.js';

/**
 * The CDK app as `cdk synth` runs it (cdk.json's "app"), with the context the CLI would pass (CDK_CONTEXT_JSON): a
 * context the deployment refuses is the operator's mistake, told in one sentence on stderr, without a stack trace.
 */
function synthWith(context: Record<string, unknown>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'ledger-refusal-')) },
    timeout: 120_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('synth refusals (issue 18)', () => {
  it('a production stage without its domain, web ACL, alarm email and SES identity: one sentence naming each, exit 1, no stack trace', () => {
    const { status, stderr } = synthWith({ 'ledger:stage': 'production' });
    expect(status).toBe(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cdk synth refused: a production stage needs context ledger:domainName and ledger:certificateArn .*\.$/);
    for (const key of ['ledger:webAclArn', 'ledger:alarmEmail', 'ledger:sesIdentity']) expect(lines[0]).toContain(key);
  }, 130_000);

  it('a mistyped alarm email, whatever the stage: the same', () => {
    const { status, stderr } = synthWith({ 'ledger:stage': 'development', 'ledger:alarmEmail': 'exploitation.example.gouv.fr' });
    expect(status).toBe(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr.trim()).toBe('cdk synth refused: ledger:alarmEmail must be an email address, not "exploitation.example.gouv.fr".');
  }, 130_000);
});
