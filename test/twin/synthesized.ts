import { join } from 'node:path';
import { ensureSynth } from '../../functions/twin/synth.js';
import { readStack, type StackModel } from '../../functions/twin/template.js';

export const projectRoot = join(import.meta.dirname, '..', '..');

/** A cold `cdk synth` with bundling takes ~40 s on 2 shared cores, more when another one runs. */
export const SYNTH_TIMEOUT = 600_000;

/** The stack in cdk.out, synthesised first when the sources changed since the last synth. */
export async function synthesizedStack(): Promise<StackModel> {
  const { outdir } = await ensureSynth({ root: projectRoot });
  return readStack(outdir);
}
