/**
 * Functions fed by the events table's stream (DynamoDB Streams, NEW_IMAGE, inserts only). Each gets its own
 * event source mapping with partial batch responses, bisect on error, bounded retries and record age, and
 * the shared on-failure queue. A stream shard serves at most two readers well: think before adding a third.
 */
export interface StreamConsumer {
  /** Handler module under functions/, exporting `handler`. */
  module: string;
  batchSize?: number;
  /** Also receives MODIFY and REMOVE records (inserts only otherwise). */
  seesOverwrites?: boolean;
}

export const streamConsumers: readonly StreamConsumer[] = [
  // Read models (DESIGN.md §3 "Projections").
  { module: 'projections/project-change-feed', batchSize: 100, seesOverwrites: true },
  // Starts workflows in reaction to commits (capitalisation on CcpAcquired).
  { module: 'reactions/react-to-change-feed', batchSize: 100 },
];
