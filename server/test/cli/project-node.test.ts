import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launcherTree } from './launcher-tree.js';

const run = promisify(execFile);

/** The machine's own `node`: the first on the PATH outside any node_modules. */
function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue;
    if (existsSync(join(dir, 'node'))) return join(dir, 'node');
  }
  throw new Error('no node on the PATH');
}

// Real: bin/dailies.js started by the machine's node, in a tree whose "server" says which Node runs it.
describe('bin/dailies.js on the project Node', () => {
  let tree: string;
  beforeAll(async () => {
    tree = await launcherTree('dailies-node-');
    await writeFile(
      join(tree, 'server/dist/cli/main.js'),
      'console.log(process.versions.node, JSON.stringify(process.argv.slice(2)));\n' +
        'process.exitCode = Number(process.argv[3] ?? 0);\n',
    );
    await writeFile(join(tree, 'server/dist/.built'), 'now\n');
  });
  afterAll(async () => {
    await rm(tree, { recursive: true, force: true });
  });

  it('is Node 24 or later in npm scripts and tests', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });

  it('hands over from an older node with the same arguments and exit code', async () => {
    const node = machineNode();
    const own = (await run(node, ['-p', 'process.versions.node'])).stdout.trim();
    const result = await run(node, [join(tree, 'bin/dailies.js'), 'doctor', '0'], { cwd: tree });
    const [version, args] = result.stdout.trim().split(' ');
    // On a machine whose node is already new enough there is nothing to hand over.
    expect(version).toBe(Number(own.split('.')[0]) < 24 ? process.versions.node : own);
    expect(JSON.parse(args)).toEqual(['doctor', '0']);
    const failed = await run(node, [join(tree, 'bin/dailies.js'), 'doctor', '3'], { cwd: tree }).catch(
      (e) => e,
    );
    expect(failed.code).toBe(3);
  });
});
