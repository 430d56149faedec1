/**
 * The digest as a reader sees it: sent through aws-ses-v2-local, opened in headless Chromium from the
 * emulator's own inbox page, checked for the headline figures and for layout at phone width, and
 * photographed for the README (docs/digest-email.png: desktop, phone, phone in dark mode).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDigestFigures, type DigestFigures } from '../../../shared/digest/figures.js';
import { formatInteger, formatPercent, formatSigned } from '../../../shared/digest/format.js';
import { renderDigest } from '../../../shared/digest/render.js';
import { sendDigestEmail } from '../../../shared/digest/send.js';
import { loadTaxonomy, themeLabels } from '../../../shared/themes/taxonomy.js';
import { HOSTILE, HOSTILE_CELLS, HOSTILE_VERBATIMS, MemoryAggregateReader, showcaseData } from './fixtures.js';
import { type SesLocal, type StoredEmail, startSesLocal } from './ses-local.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCREENSHOT = new URL('../../../docs/digest-email.png', import.meta.url);
const DRIVERS_SCREENSHOT = new URL('../../../docs/digest-drivers.png', import.meta.url);
const PHONE = 375;

if (!hasChromium) {
  console.warn(`Skipping the digest browser test: ${CHROMIUM} is absent (apt-get install -y chromium).`);
}

const weekOf = (cells: ConstructorParameters<typeof MemoryAggregateReader>[0], verbatims = HOSTILE_VERBATIMS) =>
  computeDigestFigures(new MemoryAggregateReader(cells, verbatims), {
    from: '2026-11-16',
    to: '2026-11-22',
    kind: 'weekly',
    timeZone: 'Europe/Berlin',
    segments: ['channel', 'region'],
    spike: { minVolume: 10 },
    verbatims: 10,
  });

const headlineFigures = (f: DigestFigures): string[] => [
  formatInteger(f.period.volume),
  formatSigned(f.period.nps.score, 1),
  formatPercent(f.period.csat.score),
  formatSigned(f.period.sentiment.net, 1),
];

// Page-side code is passed as strings: the project compiles without the DOM library.
/** Right edge of the widest box in the page, in CSS pixels. */
const widestBox = (page: Page): Promise<number> =>
  page.evaluate<number>(`Math.max(document.documentElement.scrollWidth,
    ...[...document.querySelectorAll('table, div, td')].map((e) => e.getBoundingClientRect().right))`);

describe.skipIf(!hasChromium)(`digest e-mail in Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} absent)`}`, () => {
  let ses: SesLocal;
  let browser: Browser;
  let showcase: DigestFigures;
  let stored: StoredEmail[];

  beforeAll(async () => {
    [ses, browser] = await Promise.all([
      startSesLocal(),
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    ]);
    const data = showcaseData();
    const reader = new MemoryAggregateReader(data.cells, data.verbatims, [], {
      cells: data.themeCells,
      quotes: data.quotes,
    });
    showcase = await computeDigestFigures(reader, {
      from: '2026-11-16',
      to: '2026-11-22',
      kind: 'weekly',
      timeZone: 'Europe/Berlin',
      segments: ['channel', 'region'],
      spike: { minVolume: 10 },
      themeLabels: themeLabels(loadTaxonomy('config/taxonomy.json')),
    });
    const hostile = await weekOf(HOSTILE_CELLS);
    const generatedAt = new Date('2026-11-23T07:00:04Z');
    const send = { from: 'feedback@example.com', configurationSetName: 'digest', recipients: ['ops@example.com'] };
    await sendDigestEmail(ses.client, { ...send, ...renderDigest(showcase, { generatedAt }) });
    await sendDigestEmail(ses.client, { ...send, ...renderDigest(hostile, { generatedAt }) });
    stored = await ses.emails();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await ses?.close();
  });

  it('shows the headline figures in the aws-ses-v2-local inbox, and hostile text only as text', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    // Act: open the inbox and the HTML view of both e-mails
    await page.goto(`${ses.endpoint}/`);
    await expect.poll(() => page.locator('.email').count(), { timeout: 10_000 }).toBe(2);
    const frames = [];
    for (const email of stored) {
      const card = page.locator('.email', { hasText: email.subject });
      await card.getByRole('button', { name: 'Toggle HTML view' }).click();
      const frame = await card
        .locator('iframe')
        .elementHandle()
        .then((handle) => handle?.contentFrame());
      frames.push(frame);
    }
    const [showcaseFrame, hostileFrame] = frames;

    // Assess: headline figures visible in the rendered e-mail and in the subject
    expect(
      await page
        .getByText(stored[0]?.subject ?? '-')
        .first()
        .isVisible(),
    ).toBe(true);
    const showcaseText = (await showcaseFrame?.locator('body').innerText()) ?? '';
    for (const figure of headlineFigures(showcase)) expect(showcaseText).toContain(figure);
    expect(showcaseText).toContain('Mon 16 Nov – Sun 22 Nov 2026');
    // Hostile text is literal text: no elements, no handlers, no dialogs.
    const hostileText = (await hostileFrame?.locator('body').innerText()) ?? '';
    expect(hostileText).toContain(HOSTILE.script);
    expect(hostileText).toContain(HOSTILE.img);
    expect(hostileText).toContain(HOSTILE.formula);
    expect(await hostileFrame?.locator('script, img, [onerror]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);

  it('keeps the layout within a phone screen, hostile text included', async () => {
    const page = await browser.newPage({ viewport: { width: PHONE, height: 800 } });
    for (const email of stored) {
      await page.setContent(email.body.html ?? '');
      expect(await widestBox(page)).toBeLessThanOrEqual(PHONE);
    }
    // On a desktop the e-mail keeps its 600 px column.
    await page.setViewportSize({ width: 1024, height: 800 });
    expect(await page.evaluate<number>(`document.querySelector('table.digest').getBoundingClientRect().width`)).toBe(
      600,
    );
    // RTL verbatims run right to left inside their own box.
    const directions = await page.evaluate<string[]>(
      `[...document.querySelectorAll('div[dir="auto"]')].map((e) => e.textContent + '|' + getComputedStyle(e).direction)`,
    );
    expect(directions).toContain(`${HOSTILE.arabic}|rtl`);
    expect(directions).toContain(`${HOSTILE.script}|ltr`);
    await page.close();
  }, 60_000);

  /** Lays the shots side by side on one board and saves it as a PNG. */
  const saveBoard = async (shots: { label: string; png: string; width: number }[], file: URL): Promise<Buffer> => {
    const board = await browser.newPage({ viewport: { width: 1520, height: 900 } });
    await board.setContent(
      `<body style="margin:0;padding:24px;background:#d9dde4;font:600 15px system-ui,sans-serif;color:#333">
      <div style="display:flex;gap:24px;align-items:flex-start">${shots
        .map(
          (s) =>
            `<figure style="margin:0"><figcaption style="margin:0 0 8px">${s.label} · ${s.width} px</figcaption><img style="display:block;width:${s.width}px;box-shadow:0 2px 10px rgba(0,0,0,.15)" src="data:image/png;base64,${s.png}"></figure>`,
        )
        .join('')}</div></body>`,
    );
    await board.waitForFunction('[...document.images].every((image) => image.complete)');
    const png = await board.screenshot({ fullPage: true });
    await board.close();
    await mkdir(new URL('.', file), { recursive: true });
    await writeFile(file, png);
    return png;
  };

  /** The whole e-mail, or only the section under the given heading, at a width and colour scheme. */
  const shoot = async (width: number, colorScheme: 'light' | 'dark', heading?: string): Promise<string> => {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
    await page.setContent(stored[0]?.body.html ?? '');
    const png = heading
      ? await page.locator('td.card', { has: page.locator('h2', { hasText: heading }) }).screenshot()
      : await page.screenshot({ fullPage: true });
    await page.close();
    return png.toString('base64');
  };

  it('saves a screenshot at desktop and phone widths, light and dark', async () => {
    // Act
    const png = await saveBoard(
      [
        { label: 'Desktop', png: await shoot(680, 'light'), width: 680 },
        { label: 'Phone', png: await shoot(PHONE, 'light'), width: PHONE },
        { label: 'Phone, dark mode', png: await shoot(PHONE, 'dark'), width: PHONE },
      ],
      SCREENSHOT,
    );

    // Assess
    expect(png.byteLength).toBeGreaterThan(50_000);
  }, 90_000);

  it('saves "What drives the score" on desktop and phone, light and dark', async () => {
    // Act
    const heading = 'What drives the score';
    const shots = [];
    for (const [label, width] of [
      ['Desktop', 680],
      ['Phone', PHONE],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        shots.push({ label: `${label}, ${scheme}`, png: await shoot(width, scheme, heading), width });
      }
    }
    const png = await saveBoard(shots, DRIVERS_SCREENSHOT);

    // Assess
    expect(png.byteLength).toBeGreaterThan(20_000);
  }, 90_000);
});
