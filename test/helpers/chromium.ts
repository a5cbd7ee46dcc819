import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestContext } from 'node:test';
import { requireTool } from './tools.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(t: TestContext): Promise<Browser | undefined> {
  if (!requireTool(t, 'chromium')) return undefined;
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

export interface PageCheck {
  consoleErrors: string[];
  /** For each <canvas>: its id and whether any pixel is non-transparent. */
  canvases: { id: string; nonEmpty: boolean; width: number; height: number }[];
}

/**
 * Opens a URL (http:// or file://), waits for chart.js charts to render, and reports console
 * errors and whether every canvas has drawn something. Saves a full-page screenshot.
 */
export async function checkPage(browser: Browser, url: string, screenshotPath: string, opts: { waitFor?: (page: Page) => Promise<void> } = {}): Promise<PageCheck> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  await page.goto(url, { waitUntil: 'load' });
  if (opts.waitFor) await opts.waitFor(page);
  // chart.js animates; wait until every canvas has pixels or a bounded time has passed.
  await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((c) => {
    const ctx = (c as HTMLCanvasElement).getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return false;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  }), undefined, { timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(300);
  const canvases = await page.evaluate(() => [...document.querySelectorAll('canvas')].map((c) => {
    const canvas = c as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    let nonEmpty = false;
    if (ctx && canvas.width > 0 && canvas.height > 0) {
      const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) { nonEmpty = true; break; }
    }
    return { id: canvas.id, nonEmpty, width: canvas.width, height: canvas.height };
  }));
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await page.close();
  return { consoleErrors, canvases };
}
