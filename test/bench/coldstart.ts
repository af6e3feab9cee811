/**
 * Module initialisation of every Lambda bundle (built as `cdk synth` builds them) against a bundle that imports
 * only @aws-sdk/client-dynamodb, the least a function of this ledger loads. Each measurement is a fresh node
 * process timing the `import()` of one index.mjs, as Lambda's INIT phase does; each bundle is measured next to the
 * baseline (after it in odd rounds, before it in even ones), several rounds, and the median of its ratios kept; the five
 * worst are measured as many rounds again before the worst is named. Last line `worst ratio: …`. A function with lazy
 * chunks (infra/bundling/lazy-chunks.ts) has one more line, after the table: the first use of its chunks, timed in a
 * fresh process as the `import()` of each once its index.mjs is loaded (what the first request that needs them adds),
 * the median of as many rounds, next to the baseline's INIT.
 *
 *   npm run bench -- coldstart        (BENCH_ROUNDS, default 5)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CREATE_REQUIRE_BANNER } from '../../infra/bundling/options.js';
import { projectRoot } from '../../infra/paths.js';
import { sampleAwsEnvironment } from '../infra/support.js';
import { buildLambdaBundles } from './lambda-bundles.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

// Under node_modules, as bundling.test.ts does: the bundles find the AWS SDK there as in the Lambda runtime.
const cache = join(projectRoot, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const outdir = mkdtempSync(join(cache, 'ledger-coldstart-'));
try {
  const bundles = buildLambdaBundles(join(outdir, 'cdk.out'));
  const baseline = join(outdir, 'baseline', 'index.mjs');
  await build({
    stdin: {
      contents: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async () => new DynamoDBClient({}).config.serviceId;\n",
      resolveDir: projectRoot,
      loader: 'ts',
    },
    outfile: baseline,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    banner: { js: CREATE_REQUIRE_BANNER },
    external: ['@aws-sdk/*'],
  });
  const probe = join(outdir, 'probe.mjs');
  writeFileSync(
    probe,
    "import { pathToFileURL } from 'node:url';\nconst started = performance.now();\nawait import(pathToFileURL(process.argv[2]).href);\nprocess.stdout.write(String(performance.now() - started));\n",
  );
  const env = { ...process.env, AWS_REGION: 'eu-west-3', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...sampleAwsEnvironment() };
  const measure = (file: string) => Number(execFileSync(process.execPath, [probe, file], { env, encoding: 'utf8' }));
  // The first use of the chunks: index.mjs loaded untimed, then the chunks' `import()` timed, as the function's code does it.
  const firstUseProbe = join(outdir, 'first-use-probe.mjs');
  writeFileSync(
    firstUseProbe,
    "import { pathToFileURL } from 'node:url';\nconst [index, ...chunks] = process.argv.slice(2);\nawait import(pathToFileURL(index).href);\nconst started = performance.now();\nfor (const chunk of chunks) await import(pathToFileURL(chunk).href);\nprocess.stdout.write(String(performance.now() - started));\n",
  );
  const measureFirstUse = (file: string, chunks: string[]) => Number(execFileSync(process.execPath, [firstUseProbe, file, ...chunks], { env, encoding: 'utf8' }));
  const times = new Map<string, number[]>(bundles.map((b) => [b.module, []]));
  const ratios = new Map<string, number[]>(bundles.map((b) => [b.module, []]));
  const baselineTimes: number[] = [];
  console.log(
    `coldstart bench: ${bundles.length} bundles, each paired with the baseline, ${ROUNDS} rounds (${2 * ROUNDS} for the five worst), one fresh node process per measurement`,
  );
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const pair = (module: string, file: string, round: number) => {
    // Paired with a baseline measured next to it: the machine's load drifts over a round, not within a pair. Which
    // goes first alternates with the rounds, so that neither always finds the file cache warmer.
    let base: number;
    let ms: number;
    if (round % 2) {
      base = measure(baseline);
      ms = measure(file);
    } else {
      ms = measure(file);
      base = measure(baseline);
    }
    baselineTimes.push(base);
    times.get(module)!.push(ms);
    ratios.get(module)!.push(ms / base);
  };
  for (let round = 1; round <= ROUNDS; round++) for (const { module, file } of bundles) pair(module, file, round);
  // The worst of 78 medians is the one noise pushed highest: the few at the top are measured again, as many rounds
  // more, before their medians are compared.
  const provisional = (module: string) => median(ratios.get(module)!);
  const suspects = [...bundles].sort((a, b) => provisional(b.module) - provisional(a.module)).slice(0, 5);
  for (let round = ROUNDS + 1; round <= 2 * ROUNDS; round++) for (const { module, file } of suspects) pair(module, file, round);
  const base = median(baselineTimes);
  const rows = bundles.map(({ module }) => ({ module, ms: median(times.get(module)!), ratio: median(ratios.get(module)!) })).sort((a, b) => b.ratio - a.ratio);
  for (const { module, ms, ratio } of rows) console.log(`${ms.toFixed(1).padStart(7)} ms  ×${ratio.toFixed(2)}  ${module}`);
  console.log(`baseline: ${base.toFixed(1)} ms (median module initialisation of a bundle importing only @aws-sdk/client-dynamodb)`);
  for (const { module, file, chunks } of bundles.filter((b) => b.chunks.length)) {
    const firstUse = median(
      Array.from({ length: ROUNDS }, () =>
        measureFirstUse(
          file,
          chunks.map((c) => c.file),
        ),
      ),
    );
    console.log(
      `first use: ${firstUse.toFixed(1)} ms (×${(firstUse / base).toFixed(2)} the baseline's INIT) to load ${chunks.map((c) => c.name).join(', ')} of ${module}, on its first request that needs them`,
    );
  }
  console.log(`worst: ${rows[0]!.module}`);
  console.log(`worst ratio: ${rows[0]!.ratio.toFixed(3)}`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
