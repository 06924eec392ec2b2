import { spawnSync } from 'node:child_process';
import { toolGuards } from '../adapters/media/run-tool.js';
import { sandboxSupport } from '../adapters/media/tool-sandbox.js';
import { FsVolume } from '../adapters/volume/fs-volume.js';
import { redactedConfig } from '../config/redact.js';
import type { Config } from '../config.js';
import { SECRET_DIFFERS_MESSAGE, type SecretAgreement } from '../features/settings/secret-fingerprint.js';
import { createDailies } from '../wiring.js';

/** Prints the effective configuration (secrets hidden) and checks each part. */
export async function runDoctor(config: Config): Promise<number> {
  console.log('Effective configuration:');
  console.log(JSON.stringify(redactedConfig(config), null, 2));
  const results: Check[] = [];
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
    results.push(secretCheck(config, dailies.secretAgreement, dailies.connection.dialect));
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
  for (const r of results)
    console.log(`${r.ok ? (r.warn ? 'WARN' : 'ok  ') : 'FAIL'} ${r.part.padEnd(10)} ${r.detail}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

/** One line of the report; a warning does not fail the check. */
interface Check {
  part: string;
  ok: boolean;
  warn?: boolean;
  detail: string;
}

/**
 * Every process on one PostgreSQL must share the server secret: a secret generated into each
 * data dir is one per process, and what one signs or seals the others refuse.
 */
function secretCheck(config: Config, agreement: SecretAgreement, dialect: string): Check {
  if (agreement === 'differs') return { part: 'secret', ok: false, detail: SECRET_DIFFERS_MESSAGE };
  const rotation = config.secretPrevious ? ' (and a previous one, still accepted for reading)' : '';
  if (config.secret)
    return {
      part: 'secret',
      ok: true,
      warn: config.secret.length < 32,
      detail: `shared (DAILIES_SECRET${rotation})${config.secret.length < 32 ? '; shorter than 32 characters: use a long random one' : ''}`,
    };
  // One server on PostgreSQL works; a second one would refuse what this one signs.
  if (dialect === 'postgres')
    return {
      part: 'secret',
      ok: true,
      warn: true,
      detail:
        'generated in this data dir, so no other process shares it: on PostgreSQL every serve and worker ' +
        'needs the same DAILIES_SECRET (or DAILIES_SECRET_FILE); see docs/deploy.md.',
    };
  return { part: 'secret', ok: true, detail: `generated in the data dir${rotation}` };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}
