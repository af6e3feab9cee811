import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { projectRoot } from '../../infra/paths.js';

/** Debian's chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(projectRoot, 'test-results', 'screenshots');
export const AXE_RESULTS = join(projectRoot, 'test-results', 'axe');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser profile (its own sessionStorage: its own signed-in user), in French, on the ledger's origin. */
export async function newUser(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; keys: Keys }> {
  const context = await browser.newContext({ baseURL, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(msg.text());
  });
  return { context, page, keys: new Keys(page, errors) };
}

/** The control labelled `text` (the label's visual " (obligatoire)" left aside), in a page or a part of it. */
export function labelled(scope: Page | Locator, text: string): Locator {
  return scope.getByLabel(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(obligatoire\\))?$`));
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

interface AxeResult {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const axeSource = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core on the page as it is (WCAG 2.0/2.1 A and AA rules, plus best practices): saves every finding to
 * test-results/axe/<name>.json and fails on a serious or critical one.
 */
export async function checkAccessibility(page: Page, name: string) {
  // The pages' CSP allows no inline script (so page.addScriptTag is refused): axe goes in through the
  // debugging protocol, which the CSP does not govern, and the pages run under their real policy.
  await page.evaluate(axeSource());
  const result = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: unknown[]; passes: unknown[]; incomplete: unknown[] }> } }).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations', 'incomplete'],
    });
    return { violations: r.violations, passes: r.passes.length, incomplete: r.incomplete };
  })) as { violations: AxeResult[]; passes: number; incomplete: AxeResult[] };
  mkdirSync(AXE_RESULTS, { recursive: true });
  const summary = {
    page: page.url(),
    passes: result.passes,
    violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })),
    incomplete: result.incomplete.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })),
  };
  writeFileSync(join(AXE_RESULTS, `${name}.json`), JSON.stringify(summary, null, 2));
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
    `axe on ${name}`,
  ).toEqual([]);
  return summary;
}

/**
 * Keyboard only: every action of the tests reaches its control with Tab (or Shift+Tab) and acts on it with
 * Enter, Space, arrows or typing, as a keyboard user would. Fails when Tab never reaches the control.
 */
export class Keys {
  constructor(
    readonly page: Page,
    /** Script errors and console errors of the page, checked by the tests. */
    readonly errors: string[],
  ) {}

  private isFocused(target: Locator) {
    return target.evaluate((el) => el === document.activeElement);
  }

  /** Tabs to the control (forward, or backward when it is before the focus), and checks its focus is visible. */
  async tabTo(target: Locator, max = 250): Promise<void> {
    await target.waitFor({ state: 'visible' });
    // Shift+Tab when the control comes before the focused element, Tab otherwise.
    const before = await target.evaluate((el) => {
      const active = document.activeElement;
      return Boolean(active && active !== document.body && el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    const key = before ? 'Shift+Tab' : 'Tab';
    for (let i = 0; i < max; i++) {
      if (await this.isFocused(target)) {
        const outline = await target.evaluate((el) => {
          const style = getComputedStyle(el);
          return { style: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow };
        });
        expect(outline.style !== 'none' || outline.shadow !== 'none', `visible focus on ${target.toString()}`).toBe(true);
        return;
      }
      await this.page.keyboard.press(key);
    }
    throw new Error(`${key} never reached ${target.toString()} in ${max} presses`);
  }

  /** Types into a text field (replacing what it holds). */
  async type(target: Locator, value: string) {
    await this.tabTo(target);
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.type(value);
    await expect.poll(() => target.inputValue()).toBe(value);
  }

  private dateOrder: 'dmy' | 'mdy' | undefined;

  /**
   * The order the browser's date fields take their digits in (it follows chromium's own locale, not the page's):
   * probed once on a scratch field, typed as a user would.
   */
  private async probeDateOrder(): Promise<'dmy' | 'mdy'> {
    if (this.dateOrder) return this.dateOrder;
    const value = await this.page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'date';
      input.id = 'date-order-probe';
      document.body.appendChild(input);
      input.focus();
      return input.id;
    });
    await this.page.keyboard.type('01022003');
    const typed = await this.page.evaluate((id) => {
      const input = document.getElementById(id) as HTMLInputElement;
      const v = input.value;
      input.remove();
      return v;
    }, value);
    this.dateOrder = typed === '2003-02-01' ? 'dmy' : 'mdy';
    return this.dateOrder;
  }

  /** Types a date into a date field, digits in the order the field shows. */
  async date(target: Locator, iso: string) {
    const order = await this.probeDateOrder();
    await this.tabTo(target);
    const [y, m, d] = iso.split('-');
    await this.page.keyboard.type(order === 'dmy' ? `${d}${m}${y}` : `${m}${d}${y}`);
    await expect.poll(() => target.inputValue()).toBe(iso);
  }

  /** Enter on a button or a link. */
  async press(target: Locator) {
    await this.tabTo(target);
    await this.page.keyboard.press('Enter');
  }

  /** Space on a checkbox (or a radio). */
  async check(target: Locator) {
    await this.tabTo(target);
    if (!(await target.isChecked())) await this.page.keyboard.press('Space');
    await expect.poll(() => target.isChecked()).toBe(true);
  }

  /** Arrow keys on a select until it shows the option. */
  async select(target: Locator, value: string) {
    await this.tabTo(target);
    const wanted = await target.evaluate((el, v) => Array.from((el as HTMLSelectElement).options).findIndex((o) => o.value === v), value);
    expect(wanted, `option ${value}`).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 50; i++) {
      const index = await target.evaluate((el) => (el as HTMLSelectElement).selectedIndex);
      if (index === wanted) return;
      await this.page.keyboard.press(index < wanted ? 'ArrowDown' : 'ArrowUp');
    }
    throw new Error(`could not select ${value}`);
  }

  /** A radio: Tab into its group (in its form), then arrows (which move and check) or Space. */
  async radio(target: Locator) {
    const name = (await target.getAttribute('name'))!;
    const form = await target.evaluateHandle((el) => (el as HTMLInputElement).form);
    const inGroup = () =>
      this.page.evaluate(
        ([f, n]) => {
          const a = document.activeElement as HTMLInputElement | null;
          return Boolean(a && a.type === 'radio' && a.name === n && a.form === f);
        },
        [form, name] as const,
      );
    if (!(await inGroup())) {
      await target.waitFor({ state: 'visible' });
      const before = await target.evaluate((el) => {
        const active = document.activeElement;
        return Boolean(active && active !== document.body && el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      for (let i = 0; i < 250 && !(await inGroup()); i++) await this.page.keyboard.press(before ? 'Shift+Tab' : 'Tab');
      expect(await inGroup(), `Tab reaches the radios ${name}`).toBe(true);
    }
    for (let i = 0; i < 6; i++) {
      if (await target.isChecked()) return;
      if (await this.isFocused(target)) await this.page.keyboard.press('Space');
      else await this.page.keyboard.press('ArrowDown');
    }
    await expect.poll(() => target.isChecked()).toBe(true);
  }
}
