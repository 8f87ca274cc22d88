// Checks run inside a browser page. Strings, because this project's TypeScript has no DOM types.
import type { Page } from 'playwright-core';

/** The id of the element that has the keyboard focus. */
const FOCUSED_ID = 'document.activeElement && document.activeElement.id';

/**
 * The id of the focused element, once the page has focused one: Chromium applies `autofocus` at a rendering update,
 * which a loaded machine can delay past the page's `load`. '' when nothing took the focus within 2 s.
 */
export async function focusedId(page: Page): Promise<string> {
  await page
    .waitForFunction('document.activeElement !== null && document.activeElement !== document.body', undefined, { timeout: 2000 })
    .catch(() => undefined);
  return page.evaluate<string>(FOCUSED_ID);
}

// Each pushes what it finds wrong onto `found`.
const UNLABELLED_FIELDS = `for (const input of document.querySelectorAll('input:not([type=hidden])')) {
    if (!input.labels || input.labels.length === 0) found.push('no label for ' + input.name);
  }`;
const SMALL_TARGETS = `for (const button of document.querySelectorAll('button:not([hidden]), a.button')) {
    if (button.getBoundingClientRect().height < 44 && !button.classList.contains('link')) found.push('small target: ' + button.textContent.trim());
  }`;
const TOO_WIDE = `const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) found.push('page is ' + width + 'px wide on a ' + window.innerWidth + 'px screen');`;

/** Every visible form control has a label and nothing is wider than the phone screen; with `tapTargets`, buttons are big enough to tap. */
export async function expectUsableOnAPhone(page: Page, { tapTargets = false } = {}): Promise<void> {
  const checks = tapTargets ? [UNLABELLED_FIELDS, SMALL_TARGETS, TOO_WIDE] : [UNLABELLED_FIELDS, TOO_WIDE];
  expect(await page.evaluate<string[]>(`(() => {\n  const found = [];\n  ${checks.join('\n  ')}\n  return found;\n})()`)).toEqual([]);
}
