import { commitHash } from '../../events/canonical-json.js';
import type { Commit } from '../../events/envelope.js';
import { IntegrityError } from '../ports/event-store.js';

/** Checks each commit's own hash and that consecutive commits link; names the first one that does not. */
export function verifyChain(commits: readonly Commit[]): void {
  const problem = findBrokenLink(commits);
  if (problem) throw new IntegrityError(problem.stream, problem.version, problem.reason);
}

export function findBrokenLink(commits: readonly Commit[]): { stream: string; version: number; reason: string } | undefined {
  let previous: Commit | undefined;
  for (const commit of commits) {
    const { hash, ...unsigned } = commit;
    if (commitHash(unsigned) !== hash) {
      return { stream: commit.stream, version: commit.version, reason: `commit ${commit.stream}@${commit.version} does not match its hash` };
    }
    if (previous && (previous.hash !== commit.prevHash || previous.last + 1 !== commit.version)) {
      return { stream: commit.stream, version: commit.version, reason: `commit ${commit.stream}@${commit.version} does not follow ${previous.version}` };
    }
    previous = commit;
  }
  return undefined;
}
