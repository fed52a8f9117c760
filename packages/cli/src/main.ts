import { Command, CommanderError, Option } from 'commander';
import { checkCommand } from './commands/check.js';
import { compileCommand, type Emit } from './commands/compile.js';
import { fmtCommand, type FmtMode } from './commands/fmt.js';
import { registerRunCommands } from './commands/run.js';
import { registerReportCommand } from './commands/report.js';
import { registerSweepCommand } from './commands/sweep.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerHelpCommand } from './commands/help.js';
import { registerTraceCommand } from './commands/trace.js';
import { registerImportCommand } from './commands/import.js';
import { registerExportCommand } from './commands/export.js';
import { nodeIo, type Io } from './io.js';
import { nonNegativeInt, oneOf } from './options.js';
import { snncVersion } from '@snnc/ir/node';

/**
 * Runs the `snnc` command line and resolves to the exit code: 0 success, 1 errors in the
 * user's files or a failed run, 2 a command-line mistake (unknown flag, bad value).
 */
export async function main(argv: string[], io: Io = nodeIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command('snnc')
    .description('snnc: write, check, compile and run spiking neural networks and NEF models from .snn files')
    .version(snncVersion(), '-V, --version', 'print the snnc version')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run `snnc help` for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  program
    .command('check')
    .description('check .snn files; prints diagnostics to stderr, exit 1 on any error')
    .argument('<files...>', '.snn files')
    .action((files: string[]) => {
      exitCode = checkCommand(files, io);
    });

  program
    .command('compile')
    .description('compile a .snn file and print its IR (or AST) as JSON on stdout')
    .argument('<file>', '.snn file')
    .addOption(new Option('--emit <what>', 'what to print').choices(['ir', 'ast']).default('ir'))
    .action((file: string, opts: { emit: Emit }) => {
      exitCode = compileCommand(file, opts.emit, io);
    });

  program
    .command('fmt')
    .description('format .snn files canonically (prints to stdout unless --check or --write)')
    .argument('<files...>', '.snn files')
    .option('--check', 'exit 1 if any file is not formatted; change nothing')
    .option('--write', 'rewrite files in place')
    .action((files: string[], opts: { check?: boolean; write?: boolean }) => {
      if (opts.check && opts.write) {
        io.stderr.write('error: --check and --write cannot be used together\n');
        exitCode = 2;
        return;
      }
      const mode: FmtMode = opts.check ? 'check' : opts.write ? 'write' : 'print';
      exitCode = fmtCommand(files, mode, io);
    });

  const setExit = (code: number): void => {
    exitCode = code;
  };
  registerRunCommands(program, io, setExit);
  registerSweepCommand(program, io, setExit);
  registerReportCommand(program, io, setExit);
  registerWorkerCommand(program, io, setExit);
  registerTraceCommand(program, io, setExit);
  registerImportCommand(program, io, setExit);
  registerExportCommand(program, io, setExit);

  program
    .command('editor')
    .description('serve the web editor on 127.0.0.1 and print its URL (FILE opens first)')
    .argument('[file]', '.snn file to open')
    .option('--port <n>', 'port to listen on (default 7070, or a free one)', nonNegativeInt)
    .action(async (file: string | undefined, opts: { port?: number }) => {
      const { editorCommand } = await import('./commands/editor.js');
      exitCode = await editorCommand(file, opts.port === undefined ? {} : { port: opts.port }, io);
    });

  registerHelpCommand(program, io, setExit);

  try {
    if (argv.length === 0) {
      io.stdout.write(program.helpInformation());
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --version and --help end here with code 0; usage mistakes with 1 from commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
}

export { oneOf };
