// `trustedOrigins`: the other sites (scheme, host, port) whose pages may post to the library's routes.
import { describe, fail } from './checks';

/** Each entry exactly an origin as browsers send it in `Origin`; anything else is a mistake worth failing on. */
export function resolveTrustedOrigins(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value))
    fail(`\`trustedOrigins\` must be an array of origins such as ["https://app.example.com"]; got ${describe(value)}.`);
  return new Set(
    value.map((entry: unknown, index) => {
      const origin = typeof entry === 'string' ? originOf(entry) : undefined;
      if (origin === undefined || origin !== (entry as string).toLowerCase()) {
        fail(
          `\`trustedOrigins[${index}]\` must be an origin: http(s)://host[:port], with no path, query or trailing slash, such as "https://app.example.com"; got ${describe(entry)}.`,
        );
      }
      return origin;
    }),
  );
}

function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
