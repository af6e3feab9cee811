import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges a cdk-nag finding on one construct (and its children), always with the reason it is
 * acceptable. `appliesTo` narrows it to given findings (IAM5 `Resource::…`), as strings or regexes.
 */
export function acknowledge(construct: IConstruct, id: string, reason: string, appliesTo?: (string | RegExp)[]) {
  NagSuppressions.addResourceSuppressions(
    construct,
    [{ id, reason, ...(appliesTo ? { appliesTo: appliesTo.map((a) => (typeof a === 'string' ? a : { regex: String(a) })) } : {}) }],
    true,
  );
}
