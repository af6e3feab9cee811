import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is at infra/paths.ts). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Lambda entry of a handler module named as in functions/routes.ts (`health/get-health`). */
export const entryOf = (module: string) => join(projectRoot, 'functions', `${module}.ts`);
