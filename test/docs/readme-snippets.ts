// The TypeScript blocks of the README and of docs/*.md, each with its file and heading, so a failing one can be named.
import fs from 'node:fs';
import path from 'node:path';

export interface Snippet {
  /** `snippet-07-stores-redis-cluster-and-sentinel.ts`: its order and the heading above it. */
  file: string;
  /** The document it comes from, relative to the repository: `README.md`, `docs/stores.md`. */
  document: string;
  heading: string;
  code: string;
  /** Line of the document where the block starts. */
  line: number;
}

const ROOT = path.join(__dirname, '..', '..');

/** README.md first, then every page of docs/ in name order. */
export function documentationFiles(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

export function documentationSnippets(documents = documentationFiles()): Snippet[] {
  const snippets: Snippet[] = [];
  for (const document of documents) snippets.push(...snippetsOf(document, snippets.length));
  return snippets;
}

export function readmeSnippets(): Snippet[] {
  return documentationSnippets(['README.md']);
}

function snippetsOf(document: string, numberedFrom: number): Snippet[] {
  const lines = fs.readFileSync(path.join(ROOT, document), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  const stem = path.basename(document, '.md').toLowerCase();
  let heading = 'top';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    if (/^#{1,4} /.test(line)) heading = line.replace(/^#+ /, '');
    if (line.trim() !== '```ts') continue;
    const start = i + 1;
    // A block inside a list item is indented like its fences; the indent is not part of the code.
    const indent = line.length - line.trimStart().length;
    const end = lines.findIndex((candidate, index) => index >= start && candidate.trim() === '```');
    if (end < 0) throw new Error(`${document}:${start}: a ts block that never ends`);
    const slug = `${stem}-${heading}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40);
    const code = lines
      .slice(start, end)
      .map((text) => text.slice(Math.min(indent, text.length - text.trimStart().length)))
      .join('\n');
    const order = String(numberedFrom + snippets.length + 1).padStart(2, '0');
    snippets.push({ file: `snippet-${order}-${slug}.ts`, document, heading, code, line: start });
    i = end;
  }
  return snippets;
}
