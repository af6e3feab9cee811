import { describe, expect, it } from 'vitest';
import { pageHtml } from '../../web/build.js';
import { contentSecurityPolicy, pages } from '../../web/site.js';

/** A browser asks /favicon.ico unless the page names its icon: every page load then logged a 404. */
describe('the pages’ icon', () => {
  it('every page names an inline SVG icon, which the CSP lets load (no request, so no 404)', () => {
    const imgSrc = contentSecurityPolicy()
      .split('; ')
      .find((d) => d.startsWith('img-src '))!;
    expect(imgSrc.split(' ')).toContain('data:');
    for (const page of pages) {
      const html = pageHtml(page);
      const icon = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/.exec(html);
      expect(icon, page.paths[0]).not.toBeNull();
      expect(icon![1]).toMatch(/^data:image\/svg\+xml,/);
      expect(decodeURIComponent(icon![1]!.slice('data:image/svg+xml,'.length))).toMatch(/^<svg xmlns='http:\/\/www\.w3\.org\/2000\/svg'.*<\/svg>$/);
    }
  });
});
