// The playground in a real browser: Debian's Chromium, headless, driven by puppeteer-core (no browser
// download). It plays the 02:17 story as a person would — the panel fires the alert, the clock moves to
// 14:00, Sam and then Dana click Approve through Slack's confirm dialog — and takes the picture the
// README shows (written to docs/playground.png with BELAY_UPDATE_SCREENSHOT=1).
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { type Playground, startPlayground } from '../../src/demo/playground.ts';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const SCREENSHOT = join(import.meta.dirname, '..', '..', 'docs', 'playground.png');
const DANA = 'U0DBA0001';
const SAM = 'U0SRE0001';

/** The little of the DOM the page functions below use: the project's lib is es2024, without the DOM. */
interface PageElement {
  readonly textContent: string | null;
  scrollTop: number;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & ArrayLike<PageElement>;
};

/** Clicks `selector` once it is there; the page redraws the channel as messages change, so a node it found may be replaced before the click lands: then it looks again. */
async function click(page: Page, selector: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.waitForSelector(selector);
    try {
      await page.click(selector);
      return;
    } catch (error) {
      if (attempt >= 5 || !/detached|not clickable|No node/i.test(String(error))) throw error;
    }
  }
}

/** The text of the newest top-level message that mentions `about`, as the page shows it. */
function newestMessage(page: Page, about: string) {
  return page.evaluate((text) => {
    const all = [...document.querySelectorAll('#messages .message')].filter((m) =>
      m.textContent?.includes(text),
    );
    return all.at(-1)?.textContent ?? '';
  }, about);
}

describe('the playground in headless Chromium', {
  skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}: .ci/ensure-test-tools.sh installs it`,
}, () => {
  let pg: Playground;
  let browser: Browser;
  let page: Page;

  before(async () => {
    pg = await startPlayground({ start: new Date('2026-03-14T02:16:00Z'), logLevel: 'silent' });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // A container has no user namespaces for Chromium's sandbox, and a small /dev/shm.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 900 });
    await page.goto(pg.url);
    await page.waitForSelector('#user option');
  });
  after(async () => {
    await browser?.close();
    await pg?.stop();
  });

  const approveOnCard = async (user: string) => {
    await page.select('#user', user);
    await click(page, '#messages .message button[data-action="belay.approve"]:not([disabled])');
    // Production-critical: Slack asks first, and nothing is sent unless the person confirms.
    await page.waitForSelector('#confirm[open]');
    assert.match(await page.$eval('#confirm-title', (e) => e.textContent ?? ''), /Approve in production\?/);
    await click(page, '#confirm-ok');
  };

  it('at 02:17 the panel fires the memory alert and the card says blocked, with no button', async () => {
    await click(page, 'button[data-scenario="memory"]');
    await page.waitForFunction(() => document.querySelector('#messages')?.textContent?.includes('Blocked'));
    const card = await newestMessage(page, 'PodMemoryHigh');
    assert.match(
      card,
      /Blocked: restart pod databases\/postgres-0 — backup job postgres-backup-\d+ has been running since 02:00 UTC/,
    );
    assert.equal(await page.$$eval('#messages button[data-action]', (b) => b.length), 0, 'nothing to click');
  });

  it('at 14:00 the same alert asks the DBA; Sam is refused in the page, Dana’s approval evicts the pod', async () => {
    await click(page, 'button[data-time="14:00"]');
    await page.waitForFunction(() => document.querySelector('#clock')?.textContent?.includes(' 14:0'));
    await click(page, 'button[data-scenario="memory"]');
    await page.waitForSelector('#messages button[data-action="belay.approve"]');
    assert.match(await newestMessage(page, 'Needs approval'), /Needs approval.*production-critical/);

    await approveOnCard(SAM);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.message.ephemeral')].some((m) =>
        m.textContent?.includes("can't approve"),
      ),
    );
    const refusal = await page.$eval('.message.ephemeral', (m) => m.textContent ?? '');
    assert.match(
      refusal,
      /Only visible to you[\s\S]*can't approve this: only @Dana \(DBA, approves databases\) may approve/,
    );
    assert.equal(pg.kube.requests.filter((r) => r.resource === 'pods/eviction' && !r.dryRun).length, 0);

    const before = pg.kube.store.get('pods', 'databases', 'postgres-0').metadata.uid;
    await approveOnCard(DANA);
    assert.equal(await page.$$eval('.message.ephemeral', (m) => m.length), 0, 'Sam’s note is Sam’s alone');
    // The outcome goes into the card's thread: open it as a person would.
    await click(page, '#messages .message:last-child .replies');
    await page.waitForFunction(() =>
      document.querySelector('#thread-messages')?.textContent?.includes('Approved and executed by @Dana'),
    );
    const thread = await page.$eval('#thread-messages', (t) => t.textContent ?? '');
    assert.match(thread, /Evicted pod databases\/postgres-0; postgres-0 was recreated and is Ready/);
    assert.equal(pg.kube.requests.filter((r) => r.resource === 'pods/eviction' && !r.dryRun).length, 1);
    assert.notEqual(
      pg.kube.store.get('pods', 'databases', 'postgres-0').metadata.uid,
      before,
      'a new postgres-0',
    );
    await page.waitForFunction(() => !document.querySelector('#messages button[data-action]'));
    // The cluster panel shows the new pod, Running.
    assert.match(
      await page.$eval('tr[data-pod="databases/postgres-0"]', (r) => r.textContent ?? ''),
      /1\/1Running/,
    );

    // The picture: the 02:17 card (blocked) from its top, and the 14:00 thread's outcome beside it.
    await page.setViewport({ width: 1440, height: 1500 });
    await page.evaluate(() => {
      const list = document.querySelector('#messages');
      if (list) list.scrollTop = 0;
    });
    const png = await page.screenshot();
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');
    // Only on request: a test run should not leave the working tree changed.
    if (process.env.BELAY_UPDATE_SCREENSHOT === '1') writeFileSync(SCREENSHOT, png);
  });
});
