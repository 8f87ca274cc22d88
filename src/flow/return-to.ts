// Keeps post-verification redirects on this site: only a relative path survives.

const ORIGIN = 'http://same-site.invalid';

/** Backslash and control characters: browsers read `\` as `/` and drop tabs and newlines. */
function hasUnsafeCharacters(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '\\' || code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The path, query and hash of `value` when it is a same-site relative path; otherwise undefined. */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  // Browsers treat `\` like `/` and ignore tabs and newlines, so `/\evil` and `/\t/evil` mean `//evil`.
  if (!value.startsWith('/') || hasUnsafeCharacters(value)) return undefined;
  if (value.startsWith('//')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  if (decoded.startsWith('//') || hasUnsafeCharacters(decoded)) return undefined;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== ORIGIN) return undefined;
  // Dot segments collapse on parsing: `/..//evil` becomes the path `//evil`, which a browser reads as another host.
  if (url.pathname.startsWith('//')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
