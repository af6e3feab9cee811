import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { launchChromium } from './support.js';

/**
 * Issue 17: a web page of another origin, opened in the browser of someone running `npm start`, tries to move the
 * ledger's virtual clock — by a simple request (text/plain, no preflight) and by a JSON one (preflighted).
 */
describe('a page of another origin cannot move the local clock', () => {
  let L: LocalLedger;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;
  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    browser = await launchChromium();
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>ailleurs</title><p>Une page quelconque.</p>');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await L?.stop();
  });

  it('neither the simple request nor the JSON one moves it', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(attackerUrl);
    const target = `${L.url}/_local/clock`;
    const outcomes = await page.evaluate(async (url) => {
      const body = JSON.stringify({ now: '2030-01-01T00:00:00Z' });
      const attempt = (init: RequestInit) =>
        fetch(url, { method: 'POST', body, ...init }).then(
          (r) => `answered ${r.status || 'opaque'}`,
          (e: Error) => `failed: ${e.name}`,
        );
      return [await attempt({ mode: 'no-cors', headers: { 'content-type': 'text/plain' } }), await attempt({ headers: { 'content-type': 'application/json' } })];
    }, target);
    // The JSON request needs a preflight the local server never grants: the browser does not send it.
    expect(outcomes[1]).toMatch(/^failed/);
    expect(L.clock.now()).toBe('2025-09-01T08:00:00.000Z');
    const health = await L.call('GET', '/certifications');
    expect(health.json).toHaveLength(4);
  });
});
