import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config.js';
import { runDoctor } from './doctor.js';
import { runAudit, runGroup, runUser } from './identity.js';
import { runImport } from './import.js';
import { runReconcile } from './reconcile.js';

const USAGE = `dailies — Media Asset Preparation System

Usage:
  dailies serve                          start the server (and in-process workers unless
                                         DAILIES_IN_PROCESS_WORKERS=false)
  dailies worker                         run job workers only, no HTTP (DAILIES_JOB_CONCURRENCY
                                         sets workers per job, e.g. {"asset.proxy":2})
  dailies reconcile                      re-index the lake into the catalog
  dailies import <dir> --to <folder>     copy a local folder into the lake, structure kept
  dailies doctor                         print the effective config and check every part
  dailies user add|list|passwd|groups    manage users (dailies user, for details)
  dailies group add|list|remove          manage groups
  dailies audit --since <ISO>            export the audit log as JSON lines

Configuration comes from the environment (DAILIES_*, DATABASE_URL, S3_*) and an optional
config file; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Read (and checked) once a command needs it: help works whatever the configuration.
  const config = ['help', '--help', undefined].includes(command) ? ({} as Config) : loadConfig();
  switch (command) {
    case 'serve': {
      const { serve } = await import('../main.js');
      await serve(config);
      return -1;
    }
    case 'worker': {
      const { runWorker } = await import('./worker.js');
      return runWorker(config);
    }
    case 'reconcile':
      return runReconcile(config);
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { to: { type: 'string', default: '/' } },
        allowPositionals: true,
      });
      if (positionals.length !== 1) {
        console.error('Usage: dailies import <dir> --to <folder>');
        return 2;
      }
      return runImport(config, positionals[0], values.to ?? '/');
    }
    case 'doctor':
      return runDoctor(config);
    case 'user':
      return runUser(config, rest);
    case 'group':
      return runGroup(config, rest);
    case 'audit':
      return runAudit(config, rest);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    console.error(`dailies: ${(error as Error).message}`);
    process.exit(1);
  },
);
