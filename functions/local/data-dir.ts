import { resolve } from 'node:path';

export const resolveDataDir = (env: NodeJS.ProcessEnv = process.env) => resolve(env.LEDGER_DATA_DIR || '.ledger');
