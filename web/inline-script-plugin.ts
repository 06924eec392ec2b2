import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify, type Plugin, transformWithOxc } from 'vite';

/**
 * Puts a small TypeScript file into index.html as an inline classic script where the comment
 * `<!-- inline: <file> -->` stands: it runs while the HTML is parsed, before the bundle has
 * downloaded (`src/early-requests.ts` starts the first screen's reads there). Inline rather than
 * a file of its own, since a second file would cost a request before it could start anything;
 * and above the stylesheet, since a script waits for the stylesheets before it to load.
 */
export function inlineScript(root: string): Plugin {
  return {
    name: 'dailies-inline-script',
    async transformIndexHtml(html) {
      const marker = /<!-- inline: (\S+) -->/;
      const name = html.match(marker)?.[1];
      if (!name) return html;
      const file = join(root, name);
      const source = await readFile(file, 'utf8');
      const { code } = await transformWithOxc(source, file, { lang: 'ts' });
      // A type-only import leaves `export {}` behind; a classic script has nothing to export.
      const script = code.replace(/^export \{\};?$/m, '');
      const small = await minify(file.replace(/\.ts$/, '.js'), script, { module: false });
      if (small.errors.length) throw new Error(`${file}: ${small.errors.map((e) => e.message).join('; ')}`);
      if (/\b(import|export)\b/.test(small.code)) throw new Error(`${file} must not import or export values`);
      return html.replace(marker, () => `<script>${small.code.trim()}</script>`);
    },
  };
}
