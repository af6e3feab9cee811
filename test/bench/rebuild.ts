// `npm run bench -- rebuild`: the statistics rebuilt from 1,000,000 events of realistic shape, in memory,
// through the real code (Projector.rebuildAll over the scan's pages of at most 1 MB: decoding and upcasting of every
// event, the fact projections folded in memory, each page's documents written in one batch to the in-memory
// read-model store with its JSON serialisation), next to a bare loop of decodeEvent over the same events, in one
// run. The statistics' rows are then aggregated from the rebuilt documents (computeStatistics over every fact, the
// check that the rebuild reflects every event), timed apart: a read of the documents, not the rebuild. Each side's wall time and CPU time (process.cpuUsage: the machine
// may be shared, and a process that gets a fraction of a core still spends the same CPU seconds per event).
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

const store = historyStore(history);

async function rebuild() {
  const readModels = new MemoryReadModelStore();
  const projector = new Projector(store, readModels, [certificationCatalogue, sessionFacts, candidateFacts, centreFacts]);
  const n = await projector.rebuildAll();
  return { n, readModels };
}

function aggregate(readModels: MemoryReadModelStore) {
  const { facts, position } = readStatisticsFacts(readModels);
  return { rows: computeStatistics(facts), position };
}

const rate = (n: number, seconds: number) => n / seconds;
/** Wall seconds and CPU seconds (user + system) of one side's round. */
async function timed<T>(work: () => T | Promise<T>): Promise<{ result: T; wall: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await work();
  const c = process.cpuUsage(c0);
  return { result, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}
const decodeRates: number[] = [];
const rebuildRates: number[] = [];
const decodeCpuRates: number[] = [];
const rebuildCpuRates: number[] = [];
let last: ReturnType<typeof aggregate> | undefined;
// Alternate the two so neither gets a warmer process; keep each side's best round.
for (let round = 1; round <= ROUNDS; round++) {
  const decoded = await timed(() => decodeLoop(history));
  decodeRates.push(rate(decoded.result, decoded.wall));
  decodeCpuRates.push(rate(decoded.result, decoded.cpu));
  console.log(
    `decode loop (round ${round}): ${decoded.result} events in ${decoded.wall.toFixed(2)} s (CPU ${decoded.cpu.toFixed(2)} s) = ${rate(decoded.result, decoded.wall).toFixed(0)} events/s, ${rate(decoded.result, decoded.cpu).toFixed(0)} events/CPU s`,
  );

  const rebuilt = await timed(rebuild);
  const { n } = rebuilt.result;
  rebuildRates.push(rate(n, rebuilt.wall));
  rebuildCpuRates.push(rate(n, rebuilt.cpu));
  const aggregated = await timed(() => aggregate(rebuilt.result.readModels));
  last = aggregated.result;
  console.log(
    `rebuild (round ${round}): ${n} events in ${rebuilt.wall.toFixed(2)} s (CPU ${rebuilt.cpu.toFixed(2)} s) = ${rate(n, rebuilt.wall).toFixed(0)} events/s, ${rate(n, rebuilt.cpu).toFixed(0)} events/CPU s; then ${last.rows.length} rows aggregated at position ${last.position} in ${aggregated.wall.toFixed(2)} s (CPU ${aggregated.cpu.toFixed(2)} s)`,
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
const rebuildCpuRate = Math.max(...rebuildCpuRates);
const decodeCpuRate = Math.max(...decodeCpuRates);
console.log(`decode: ${decodeRate.toFixed(0)} events/s, ${decodeCpuRate.toFixed(0)} events/CPU s`);
console.log(`events/CPU s: ${rebuildCpuRate.toFixed(0)}`);
console.log(`CPU ratio: ${(rebuildCpuRate / decodeCpuRate).toFixed(3)}`);
console.log(`events/s: ${rebuildRate.toFixed(0)}`);
console.log(`ratio: ${(rebuildRate / decodeRate).toFixed(3)}`);
