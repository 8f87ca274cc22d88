// The README's TypeScript blocks, each with the heading it sits under, so a failing one can be named.
import fs from 'node:fs';
import path from 'node:path';

export interface Snippet {
  /** `snippet-07-stores-redis-cluster-and-sentinel.ts`: its order and the heading above it. */
  file: string;
  heading: string;
  code: string;
  /** Line of the README where the block starts. */
  line: number;
}

export function readmeSnippets(readme = path.join(__dirname, '..', '..', 'README.md')): Snippet[] {
  const lines = fs.readFileSync(readme, 'utf8').split('\n');
  const snippets: Snippet[] = [];
  let heading = 'top';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    if (/^#{1,4} /.test(line)) heading = line.replace(/^#+ /, '');
    if (line.trim() !== '```ts') continue;
    const start = i + 1;
    // A block inside a list item is indented like its fences; the indent is not part of the code.
    const indent = line.length - line.trimStart().length;
    const end = lines.findIndex((candidate, index) => index >= start && candidate.trim() === '```');
    if (end < 0) throw new Error(`README.md:${start}: a ts block that never ends`);
    const slug = heading.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
    const code = lines.slice(start, end).map((text) => text.slice(Math.min(indent, text.length - text.trimStart().length))).join('\n');
    snippets.push({ file: `snippet-${String(snippets.length + 1).padStart(2, '0')}-${slug}.ts`, heading, code, line: start });
    i = end;
  }
  return snippets;
}
