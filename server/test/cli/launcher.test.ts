import { execFile } from 'node:child_process';
import { rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launcherTree } from './launcher-tree.js';

const run = promisify(execFile);

// Real: bin/dailies.js in a tree of its own whose "server" only says which copy of it ran.
describe('bin/dailies.js', () => {
  let tree: string;
  const launch = async () =>
    (await run(process.execPath, [join(tree, 'bin/dailies.js')], { cwd: tree })).stdout.trim();
  const age = (path: string, secondsAgo: number) => {
    const at = new Date(Date.now() - secondsAgo * 1000);
    return utimes(join(tree, path), at, at);
  };

  beforeAll(async () => {
    tree = await launcherTree('dailies-launcher-');
    // TypeScript only tsx can run: the sources are really run through the loader.
    await writeFile(
      join(tree, 'server/src/cli/main.ts'),
      "const from: string = 'sources';\nconsole.log(from);\n",
    );
    await writeFile(join(tree, 'server/dist/cli/main.js'), "console.log('build');\n");
  });
  afterAll(async () => {
    await rm(tree, { recursive: true, force: true });
  });

  it('runs the sources when there is no build', async () => {
    expect(await launch()).toBe('sources');
  });

  it('runs the build while no source file is newer, the sources as soon as one is', async () => {
    await age('server/src/cli/main.ts', 60);
    await writeFile(join(tree, 'server/dist/.built'), 'now\n');
    expect(await launch()).toBe('build');

    await writeFile(join(tree, 'server/src/cli/edited.ts'), 'export {};\n');
    expect(await launch()).toBe('sources');
  });
});
