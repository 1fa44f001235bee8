import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllControllers, printLogsIfFailed, startControllerProcess, waitUntilConverged, type ControllerProcess } from '../support/controller-process.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { ARTIFACTS, launchBrowser, type BrowserSession } from './support/browser.js';
import { EXAMPLE_SERVICES, exampleRoot } from './support/example-root.js';

// The status page as an operator sees it: `composelet run` (dist/) over a copy of the example on the real
// engine, the page in Debian's chromium. One controller and one browser for the whole file.

const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const engine = testEngine();
const projectName = uniqueProjectName('page');
const SECRET = `pw-${projectName}-do-not-show`;
const UP = ['running', 'healthy', 'starting'];
const DOWN = ['stopped', 'missing'];
let root = '';
let projectDirectory = '';
let controller: ControllerProcess | undefined;
let session: BrowserSession;
let url = '';

async function serviceStates(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(Array.from(document.querySelectorAll('#overview-body tr[data-service]')).map((row) => [row.getAttribute('data-service'), row.getAttribute('data-state')])),
  );
}

describe('the status page in a browser', () => {
  beforeAll(async () => {
    ({ root, projectDirectory } = exampleRoot({ projectName, secret: SECRET }));
    controller = await startControllerProcess({ root, extraArgs: ['--drift-interval', '2s'] });
    url = `http://${controller.metricsAddress}/`;
    [session] = await Promise.all([launchBrowser(), waitUntilConverged(controller, projectName, { timeoutMs: 120_000 })]);
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await session?.close();
    await killAllControllers();
    await removeProjectObjects(engine, projectName);
  });

  it('every service must be listed with its state', async () => {
    const page = await session.open(url);
    await eventually(async () => {
      const states = await serviceStates(page);
      expect(Object.keys(states).sort()).toEqual(EXAMPLE_SERVICES);
      expect(states).toMatchObject({ db: 'healthy', cache: 'healthy', api: 'healthy', ui: 'healthy', metrics: 'healthy', migrate: 'completed' });
    }, { timeoutMs: 30_000, message: 'every service shown up' });
    await expect(page.locator('#live')).toBeDefined();
    expect(await page.locator('#live').textContent()).toBe('live');
    await session.screenshot(page, 'overview-1280x800', { fullPage: true });
    // The README's picture (docs/page.png is a copy of it): the overview and the graph.
    await page.screenshot({ path: join(ARTIFACTS, 'readme.png'), clip: { x: 0, y: 0, width: 1280, height: 1000 }, fullPage: true });
    await page.context().close();
  });

  it('the graph must have one node per service, coloured by its state', async () => {
    const page = await session.open(url);
    const nodes = await page.locator('svg.graph g.node').evaluateAll((elements) => elements.map((element) => `${element.getAttribute('data-service')}:${element.getAttribute('data-state')}`));
    expect(nodes.map((node) => node.split(':')[0]).sort()).toEqual(EXAMPLE_SERVICES);
    expect(nodes).toContain('migrate:completed');
    expect(await page.locator('svg.graph g.edge').count()).toBeGreaterThan(0);
    await page.locator('#graph').screenshot({ path: join(ARTIFACTS, 'graph.png') });
    await page.context().close();
  });

  it('docker kill of a service must show it down, then running, without a reload', async () => {
    const page = await session.open(url);
    await page.locator('#overview-body tr[data-service="metrics"][data-state="healthy"]').waitFor();
    await eventually(async () => expect(await page.locator('#live').textContent()).toBe('live'));
    await page.evaluate(() => {
      const recorder = window as unknown as { seen: Array<{ state: string; at: number }>; loadedOnce: string };
      recorder.seen = [];
      recorder.loadedOnce = 'yes';
      const record = () => {
        const state = document.querySelector('#overview-body tr[data-service="metrics"]')?.getAttribute('data-state') ?? 'absent';
        if (recorder.seen.at(-1)?.state !== state) recorder.seen.push({ state, at: Date.now() });
      };
      record();
      new MutationObserver(record).observe(document.getElementById('overview-body')!, { subtree: true, childList: true, attributes: true });
    });
    const killedAt = Date.now();
    await runDocker(['kill', `${projectName}-metrics-1`]);
    const seen = await eventually(
      async () => {
        const states = await page.evaluate(() => (window as unknown as { seen: Array<{ state: string; at: number }> }).seen);
        const down = states.findIndex((entry) => DOWN.includes(entry.state));
        expect(down, JSON.stringify(states)).toBeGreaterThan(0);
        expect(states.slice(down + 1).some((entry) => UP.includes(entry.state)), JSON.stringify(states)).toBe(true);
        return states;
      },
      { timeoutMs: 20_000, message: 'metrics shown down, then up' },
    );
    // Measured from the engine's event, as the controller logged it (the docker CLI itself can take a second
    // on a busy machine).
    const event = controller!.logs().find((line) => line.msg === 'engine event' && line['container'] === `${projectName}-metrics-1` && ['kill', 'die'].includes(String(line['action'])) && (line.time ?? 0) >= killedAt - 1_000);
    expect(event, 'the engine event of the kill, in the log').toBeDefined();
    const down = seen.find((entry) => DOWN.includes(entry.state))!;
    expect(down.at - event!.time!, JSON.stringify({ seen, event })).toBeLessThan(2_000);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: string }).loadedOnce)).toBe('yes');
    await page.locator('#overview-body tr[data-service="metrics"][data-state="healthy"]').waitFor({ timeout: 20_000 });
    await page.context().close();
  });

  it('the drift view must show an out-of-band docker update', async () => {
    const page = await session.open(url);
    // Suspended, so that the controller leaves the changed limit as it is (it would put it back at once).
    await execFileAsync(process.execPath, [CLI, 'suspend', projectDirectory, 'cache', '--reason', 'page test: out-of-band limits', '--for', '10m'], {
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], COMPOSELET_STATE_DIR: `${root}.state`, COMPOSELET_AUDIT_LOG: `${root}.audit.log` },
    });
    await page.locator('#overview-body tr[data-service="cache"] .note', { hasText: 'page test: out-of-band limits' }).waitFor({ timeout: 15_000 });
    await runDocker(['update', '--memory', '96m', '--memory-swap', '192m', `${projectName}-cache-1`]);
    const change = page.locator('#drift-body tr[data-service="cache"][data-status="drifted"] li[data-category="limits"]');
    await change.first().waitFor({ timeout: 20_000 });
    expect(await change.first().textContent()).toMatch(/96/);
    await page.locator('#drift').screenshot({ path: join(ARTIFACTS, 'drift.png') });
    await page.context().close();
  });

  it('the overview must work with JavaScript off, and so must the audit filter', async () => {
    const page = await session.open(url, { javaScriptEnabled: false });
    expect(Object.keys(await serviceStates(page)).sort()).toEqual(EXAMPLE_SERVICES);
    expect(await page.locator('#live').textContent()).toBe('static page: reload to update');
    await page.locator('#audit-service').selectOption('db');
    await Promise.all([page.waitForURL(/service=db/), page.getByRole('button', { name: 'Filter' }).click()]);
    const services = await page.locator('#audit-body tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-service')));
    expect(services.length).toBeGreaterThan(0);
    expect(new Set(services)).toEqual(new Set(['db']));
    await session.screenshot(page, 'no-javascript', { fullPage: true });
    await page.context().close();
  });

  it.each([
    [1280, 800],
    [390, 844],
  ])('the layout must fit %ix%i without horizontal scrolling', async (width, height) => {
    const page = await session.open(url, { viewport: { width, height } });
    await page.locator('#overview-body tr[data-service="db"]').waitFor();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await session.screenshot(page, `layout-${width}x${height}`);
    await page.context().close();
  });

  it('the keyboard must reach the skip link, the sections, the scrollable tables and the filter, with a visible focus', async () => {
    const page = await session.open(url);
    const focused: string[] = [];
    const expected = ['Overview', 'Drift', `Services of ${projectName}`, 'audit-project', 'audit-service', 'Filter'];
    for (let press = 0; press < 40 && !expected.every((name) => focused.includes(name)); press += 1) {
      await page.keyboard.press('Tab');
      const current = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return null;
        const style = getComputedStyle(element);
        return { name: element.id || element.getAttribute('aria-label') || element.textContent?.trim().slice(0, 30) || element.tagName, outline: style.outlineStyle };
      });
      if (current === null) continue;
      expect(current.outline, `focus on ${current.name} is visible`).not.toBe('none');
      focused.push(current.name);
    }
    expect(focused[0]).toBe('Skip to the overview');
    expect(focused).toEqual(expect.arrayContaining(expected));
    await page.context().close();
  });

  it('the database password must reach neither the HTML, the event stream nor the JSON', async () => {
    const [html, json, status] = await Promise.all(['/', '/page.json', '/status'].map(async (path) => (await fetch(`http://${controller!.metricsAddress}${path}`)).text()));
    const stream = new AbortController();
    const response = await fetch(`http://${controller!.metricsAddress}/events`, { signal: stream.signal });
    const reader = response.body!.getReader();
    let events = '';
    while (!events.includes('"overview-body"')) events += new TextDecoder().decode((await reader.read()).value);
    stream.abort();
    for (const [name, text] of Object.entries({ html: html!, json: json!, status: status!, events })) {
      expect(text.length, name).toBeGreaterThan(100);
      expect(text, name).not.toContain(SECRET);
    }
    expect(json).toContain('"name": "db"');
  });

  it('no page must have logged a console error', () => {
    expect(session.errors).toEqual([]);
  });
});
