import { fileURLToPath } from 'node:url';

const USAGE = `Usage: feedback <command> [options]

Commands:
  check <file> [--json] [--records <out.jsonl>]   Dry-run decoding, parsing, mapping and cleaning of one export
  local [--input <dir>] [--from YYYY-MM-DD --to YYYY-MM-DD] [--state <dir>] [--json] [--keep-running]
                                                  Run the whole pipeline on the local stack
  digest [--from YYYY-MM-DD --to YYYY-MM-DD | --period daily|weekly] [--json] [--send] [--local --state <dir>]
                                                  Build (and send) the KPI digest against the configured stack
  release <key> [--json] [--local --state <dir>]  Process a file held over the Comprehend budget now
`;

/** Entry point of the `feedback` binary; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  switch (command) {
    case 'check': {
      const { runCheck } = await import('./check.js');
      return runCheck(rest, io);
    }
    case 'local': {
      const { runLocal } = await import('./local.js');
      return runLocal(rest, io);
    }
    case 'digest': {
      const { runDigestCommand } = await import('./digest.js');
      return runDigestCommand(rest, io);
    }
    case 'release': {
      const { runRelease } = await import('./release.js');
      return runRelease(rest, io);
    }
    case undefined:
    case '-h':
    case '--help':
      io.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      io.stderr.write(`Unknown command "${command}".\n${USAGE}`);
      return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
