/**
 * Module initialisation of every Lambda bundle (built as `cdk synth` builds them) against a bundle that imports
 * only @aws-sdk/client-dynamodb, the least a function of this ledger loads. Each measurement is a fresh node
 * process timing the `import()` of one index.mjs, as Lambda's INIT phase does; each bundle is measured right after
 * the baseline, several rounds, and the median of its ratios kept. Last line `worst ratio: …`.
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
  const times = new Map<string, number[]>(bundles.map((b) => [b.module, []]));
  const ratios = new Map<string, number[]>(bundles.map((b) => [b.module, []]));
  const baselineTimes: number[] = [];
  console.log(`coldstart bench: ${bundles.length} bundles, each right after the baseline, ${ROUNDS} rounds, one fresh node process per measurement`);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { module, file } of bundles) {
      // Paired with a baseline measured just before: the machine's load drifts over a round, not within a pair.
      const base = measure(baseline);
      const ms = measure(file);
      baselineTimes.push(base);
      times.get(module)!.push(ms);
      ratios.get(module)!.push(ms / base);
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const base = median(baselineTimes);
  const rows = bundles.map(({ module }) => ({ module, ms: median(times.get(module)!), ratio: median(ratios.get(module)!) })).sort((a, b) => b.ratio - a.ratio);
  for (const { module, ms, ratio } of rows) console.log(`${ms.toFixed(1).padStart(7)} ms  ×${ratio.toFixed(2)}  ${module}`);
  console.log(`baseline: ${base.toFixed(1)} ms (median module initialisation of a bundle importing only @aws-sdk/client-dynamodb)`);
  console.log(`worst: ${rows[0]!.module}`);
  console.log(`worst ratio: ${rows[0]!.ratio.toFixed(3)}`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
