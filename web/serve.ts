import type { IncomingMessage } from 'node:http';
import type { HttpResponse } from '../functions/shared/route.js';
import { buildWeb, contentTypeOf, type WebFile } from './build.js';
import type { LedgerStage } from '../functions/shared/stage.js';
import { CONFIG_FILE, pageFor, securityHeaders } from './site.js';

/** What the pages read at /config.json: locally, that tokens can be minted; in AWS, Cognito's hosted sign-in. */
export interface WebConfig {
  mode: 'local' | 'aws';
  /** A development stage (its pages carry the specimen banner). */
  stage?: LedgerStage;
  cognito?: { domain: string; clientId: string; scopes: string[] };
  /** FranceConnect, ProConnect: the user pool's identity providers beside its own sign-in (AWS only). */
  providers?: string[];
}

let built: Promise<Map<string, WebFile>> | undefined;

/**
 * The local server's `staticPages`: the pages of web/ at the paths of web/site.ts, built once per process with
 * esbuild, with the security headers CloudFront sets in AWS.
 */
export async function webPages(config: WebConfig = { mode: 'local' }) {
  built ??= buildWeb();
  const files = await built;
  const configFile: WebFile = { contentType: contentTypeOf(CONFIG_FILE), body: Buffer.from(JSON.stringify(config)) };
  const headers = securityHeaders();
  return async (_req: IncomingMessage, url: URL): Promise<HttpResponse | undefined> => {
    const page = pageFor(url.pathname);
    const file = page ? files.get(`/${page}`) : url.pathname === `/${CONFIG_FILE}` ? configFile : files.get(url.pathname);
    if (!file) return undefined;
    return { status: 200, headers: { 'content-type': file.contentType, ...headers }, body: file.body };
  };
}
