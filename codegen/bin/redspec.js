#!/usr/bin/env node
// The `redspec` command. The generator is TypeScript run from source (nothing to build before
// `npm run generate` can rebuild generated/), so this launcher registers tsx's loader and hands the
// arguments to codegen/cli.ts, which owns parsing, exit codes and error reporting.
import { register } from 'tsx/esm/api';

// A reader that stops early (`redspec api diff | head`) closes the pipe: that is no failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
