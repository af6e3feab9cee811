import { canonicalJson, sha256 } from '../../events/canonical-json.js';
import { certification, certificationStream } from '../../domain/certification.js';
import { loadReferentialFiles, type ReferentialFile } from '../../referential/referential-file.js';
import type { Clock } from '../ports/clock.js';
import type { CommandHandler } from '../shared/command-handler.js';

/**
 * Registers every certification version of referential/ as events, then the revisions between them. Run at
 * every start: a version already registered with the same content appends nothing.
 */
export async function loadReferential(commands: CommandHandler, clock: Clock, files?: ReferentialFile[], dir?: string) {
  const all = files ?? (await loadReferentialFiles(dir));
  let appended = 0;
  const ctx = (what: string, content: unknown) => {
    const commandId = `referential:${what}:${sha256(canonicalJson(content)).slice(0, 32)}`;
    return { commandId, actor: 'system:referential-loader', correlationId: commandId, now: clock.now() };
  };
  for (const { registration } of all) {
    const result = await commands.handle(
      certification,
      certificationStream(registration.rncp),
      { type: 'RegisterCertificationVersion', version: registration },
      ctx(`register:${registration.rncp}`, registration),
    );
    appended += result.events.length;
  }
  for (const { registration, revision } of all) {
    if (!revision) continue;
    const result = await commands.handle(
      certification,
      certificationStream(registration.rncp),
      { type: 'ReviseCertificationVersion', rncp: registration.rncp, ...revision },
      ctx(`revise:${registration.rncp}`, revision),
    );
    appended += result.events.length;
  }
  for (const { registration, closure, prorogations } of all) {
    for (const prorogation of prorogations ?? []) {
      const result = await commands.handle(
        certification,
        certificationStream(registration.rncp),
        { type: 'ProrogueCertificationVersion', rncp: registration.rncp, ...prorogation },
        ctx(`prorogue:${registration.rncp}`, prorogation),
      );
      appended += result.events.length;
    }
    if (!closure) continue;
    const result = await commands.handle(
      certification,
      certificationStream(registration.rncp),
      { type: 'CloseCertificationVersion', rncp: registration.rncp, ...closure },
      ctx(`close:${registration.rncp}`, closure),
    );
    appended += result.events.length;
  }
  return { versions: all.length, appended };
}
