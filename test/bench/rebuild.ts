// `npm run bench -- rebuild`: the statistics rebuilt from 1,000,000 events of realistic shape, in memory,
// through the real code (Projector.replayAll over a scan: per-stream checkpoints, decoding and upcasting of every
// event, the fact projections, conditional writes to the in-memory read-model store with its JSON round trip,
// then the aggregation of every row), next to a bare loop of decodeEvent over the same events, in one run.
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { certificationCatalogue } from '../../functions/projections/certification-catalogue.js';
import { Projector } from '../../functions/projections/projector.js';
import { candidateFacts, centreFacts, sessionFacts } from '../../functions/projections/statistics-facts.js';
import { computeStatistics, readStatisticsFacts } from '../../functions/statistics/statistics-report.js';
import { decodeEvent } from '../../events/registry.js';
import { generateHistory, historyStore, type GeneratedHistory } from './rebuild-history.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

let generated = performance.now();
const history = await generateHistory(EVENTS);
generated = (performance.now() - generated) / 1000;
console.log(`rebuild bench: ${history.events} events in ${history.commits.length} commits of ${history.streams} streams (generated in ${generated.toFixed(1)} s)`);

function decodeLoop(h: GeneratedHistory): number {
  let n = 0;
  for (const commit of h.commits) {
    for (const stored of commit.events) {
      decodeEvent(stored);
      n++;
    }
  }
  return n;
}

async function rebuild(h: GeneratedHistory) {
  const readModels = new MemoryReadModelStore();
  const projector = new Projector(historyStore(h), readModels, [certificationCatalogue, sessionFacts, candidateFacts, centreFacts]);
  const n = await projector.replayAll();
  const { facts, position } = await readStatisticsFacts(readModels);
  const rows = computeStatistics(facts);
  return { n, rows, position };
}

const rate = (n: number, seconds: number) => n / seconds;
const decodeRates: number[] = [];
const rebuildRates: number[] = [];
let last: Awaited<ReturnType<typeof rebuild>> | undefined;
// Alternate the two so neither gets a warmer process; keep each side's best round.
for (let round = 1; round <= ROUNDS; round++) {
  let t0 = performance.now();
  const decoded = decodeLoop(history);
  let seconds = (performance.now() - t0) / 1000;
  decodeRates.push(rate(decoded, seconds));
  console.log(`decode loop (round ${round}): ${decoded} events in ${seconds.toFixed(2)} s = ${rate(decoded, seconds).toFixed(0)} events/s`);

  t0 = performance.now();
  last = await rebuild(history);
  seconds = (performance.now() - t0) / 1000;
  rebuildRates.push(rate(last.n, seconds));
  console.log(
    `rebuild (round ${round}): ${last.n} events in ${seconds.toFixed(2)} s = ${rate(last.n, seconds).toFixed(0)} events/s (${last.rows.length} rows at position ${last.position})`,
  );
}
// Each fact document's position is its stream's version (statistics-report.ts): the facts sum to every event of the
// centre, session and candidate streams (the referential's streams feed the catalogue, which is not a fact).
const factEvents = history.commits.filter((c) => !c.stream.startsWith('certification#')).reduce((n, c) => n + c.events.length, 0);
if (last!.position !== factEvents) throw new Error(`the rebuild reflects ${last!.position} events, the history's fact streams hold ${factEvents}`);
for (const row of last!.rows) {
  console.log(
    `  ${row.rncp} ${row.year}: enrolled ${row.enrolled}, present ${row.present}, certified ${row.certified} (VAE ${row.certifiedViaVae}), CCPs ${row.ccpIssued}, success ${row.successRate} %, insertion 6m ${row.insertion6mGlobal} % / target ${row.insertion6mTargetJob} %, 24m target ${row.insertion24mTargetJob} %`,
  );
}
const rebuildRate = Math.max(...rebuildRates);
const decodeRate = Math.max(...decodeRates);
console.log(`decode: ${decodeRate.toFixed(0)} events/s`);
console.log(`events/s: ${rebuildRate.toFixed(0)}`);
console.log(`ratio: ${(rebuildRate / decodeRate).toFixed(3)}`);
