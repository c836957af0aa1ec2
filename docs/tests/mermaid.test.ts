import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../apps/dashboard/tests/support.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, documentationFiles } from './markdown.ts';

// Every Mermaid block must render: a parser alone accepts some diagrams that fail to draw, so
// each block is rendered by mermaid itself in the headless Chromium the browser tests use.
const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
const diagrams = documentationFiles().flatMap((file) =>
  codeBlocks(file.text, 'mermaid').map((source, index) => ({ file: file.path, index, source })),
);

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('Mermaid diagrams', () => {
  it('the docs have diagrams to check', () => {
    expect(diagrams.length).toBeGreaterThan(0);
  });

  it('every block renders to an SVG', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: mermaidScript });
    const failures: string[] = [];
    for (const diagram of diagrams) {
      const result = await page.evaluate(
        async ({ source, id }) => {
          const mermaid = (globalThis as unknown as { mermaid: MermaidApi }).mermaid;
          mermaid.initialize({ startOnLoad: false });
          try {
            const { svg } = await mermaid.render(id, source);
            return svg.includes('<svg') ? 'ok' : 'no svg produced';
          } catch (err) {
            return String((err as Error).message ?? err);
          }
        },
        { source: diagram.source, id: `d${diagrams.indexOf(diagram)}` },
      );
      if (result !== 'ok') failures.push(`${diagram.file} block ${diagram.index + 1}: ${result}`);
    }
    await page.close();
    expect(failures).toEqual([]);
  });
});

interface MermaidApi {
  initialize(config: { startOnLoad: boolean }): void;
  render(id: string, source: string): Promise<{ svg: string }>;
}
