// Small checks on the page's HTML, by regular expression: what a strict CSP would block, and broken accessibility links.

/** Every start tag with its attributes, e.g. { name: 'input', attributes: { id: 'mfa-code', ... } }. */
export function tags(html: string): Array<{ name: string; attributes: Record<string, string> }> {
  const found: Array<{ name: string; attributes: Record<string, string> }> = [];
  for (const match of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g)) {
    const attributes: Record<string, string> = {};
    for (const attribute of (match[2] ?? '').matchAll(/([^\s=>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g)) {
      attributes[(attribute[1] as string).toLowerCase()] = decode(attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
    }
    found.push({ name: (match[1] as string).toLowerCase(), attributes });
  }
  return found;
}

/** The action of each form on the page, in order. */
export function formActions(html: string): Array<string | undefined> {
  return tags(html)
    .filter((tag) => tag.name === 'form')
    .map((tag) => tag.attributes.action);
}

function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** What `default-src 'self'` would refuse, and ids that aria-describedby or a label point at but nobody has. */
export function markupProblems(html: string): string[] {
  const problems: string[] = [];
  const all = tags(html);
  const ids = all.map((tag) => tag.attributes.id).filter((id): id is string => id !== undefined);
  for (const id of new Set(ids)) if (ids.filter((other) => other === id).length > 1) problems.push(`id ${id} twice`);
  for (const { name, attributes } of all) {
    if (name === 'script' && !attributes.src) problems.push('inline <script>');
    if (name === 'style') problems.push('<style> element');
    for (const [attribute, value] of Object.entries(attributes)) {
      if (attribute === 'style') problems.push(`style attribute on <${name}>`);
      if (/^on/.test(attribute)) problems.push(`${attribute} handler on <${name}>`);
      if (/^\s*javascript:/i.test(value)) problems.push(`javascript: URL in ${attribute}`);
    }
    for (const id of (attributes['aria-describedby'] ?? '').split(/\s+/).filter(Boolean)) {
      if (!ids.includes(id)) problems.push(`aria-describedby names missing #${id}`);
    }
    if (name === 'label' && attributes.for !== undefined && !ids.includes(attributes.for))
      problems.push(`label for missing #${attributes.for}`);
    if (name === 'input' && attributes.type !== 'hidden') {
      const labelled = attributes.id !== undefined && all.some((tag) => tag.name === 'label' && tag.attributes.for === attributes.id);
      if (!labelled) problems.push(`input ${attributes.name ?? '?'} without a label`);
    }
  }
  return problems;
}

/** The start tag with this id, or undefined. */
export function byId(html: string, id: string): Record<string, string> | undefined {
  return tags(html).find((tag) => tag.attributes.id === id)?.attributes;
}

/** The text inside the element with this id (tags stripped), or undefined. */
export function textOf(html: string, id: string): string | undefined {
  const match = new RegExp(`<([a-z0-9]+)[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match
    ? decode((match[2] as string).replace(/<[^>]+>/g, ''))
        .replace(/\s+/g, ' ')
        .trim()
    : undefined;
}
