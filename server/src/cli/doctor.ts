import { spawnSync } from 'node:child_process';
import { toolGuards } from '../adapters/media/run-tool.js';
import { sandboxSupport } from '../adapters/media/tool-sandbox.js';
import { FsVolume } from '../adapters/volume/fs-volume.js';
import { redactedConfig } from '../config/redact.js';
import type { Config } from '../config.js';
import { createDailies } from '../wiring.js';

/** Prints the effective configuration (secrets hidden) and checks each part. */
export async function runDoctor(config: Config): Promise<number> {
  console.log('Effective configuration:');
  console.log(JSON.stringify(redactedConfig(config), null, 2));
  const results: Array<{ part: string; ok: boolean; detail: string }> = [];
  for (const tool of ['ffmpeg', 'ffprobe', 'mediainfo']) {
    const run = spawnSync(tool, [tool === 'mediainfo' ? '--Version' : '-version'], { encoding: 'utf8' });
    results.push({
      part: tool,
      ok: run.status === 0,
      detail: run.status === 0 ? firstLine(run.stdout) : `not found (${run.error?.message ?? run.stderr})`,
    });
  }
  // Not a failure: the tools still run, held to one file by their input whitelists only.
  const sandbox = sandboxSupport();
  const sandboxOff = config.media.toolSandbox === 'off';
  results.push({
    part: 'sandbox',
    ok: true,
    detail: sandboxOff
      ? 'off (DAILIES_TOOL_SANDBOX=off): media tools run unsandboxed'
      : sandbox.ok
        ? sandbox.reason
        : `not available, media tools run unsandboxed: ${sandbox.reason}`,
  });
  results.push({
    part: 'limits',
    ok: true,
    detail: [
      toolGuards.limits
        ? `each tool ≤ ${config.media.toolMemoryMb || '∞'} MiB, ffmpeg ≤ ${config.media.toolCpuSeconds || '∞'} CPU s`
        : 'prlimit missing: tools run without memory or CPU limits',
      toolGuards.pdeathsig
        ? 'tools die with their server'
        : 'setpriv missing: tools may outlive a killed server',
    ].join('; '),
  });
  let dailies: Awaited<ReturnType<typeof createDailies>> | null = null;
  try {
    dailies = await createDailies(config);
    results.push({ part: 'catalog', ok: true, detail: `${dailies.connection.dialect}, migrated` });
    for (const [part, store] of [
      ['lake', dailies.lake],
      ['derived', dailies.derived],
    ] as const) {
      try {
        await store.check();
        results.push({ part, ok: true, detail: store.describe() });
      } catch (error) {
        results.push({ part, ok: false, detail: (error as Error).message });
      }
    }
    // The volumes in effect: saved on the settings page, else from the config.
    for (const volume of dailies.settings.current.volumes) {
      try {
        await new FsVolume(volume.id, volume.path).check();
        results.push({
          part: `volume ${volume.id}`,
          ok: true,
          detail: `${volume.path} mounted and writable`,
        });
      } catch (error) {
        results.push({ part: `volume ${volume.id}`, ok: false, detail: (error as Error).message });
      }
    }
  } catch (error) {
    results.push({ part: 'catalog', ok: false, detail: (error as Error).message });
  } finally {
    await dailies?.close();
  }
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.part.padEnd(10)} ${r.detail}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}
