import type { Command } from 'commander';
import { allCallables, CALLABLE_KINDS, callablesIndexText, callableText, kindLabel, paramLine, type CallableKind } from '@snnc/dsl';

/** Kinds whose parameters are the fields or options of a statement rather than call arguments. */
const STATEMENT_KINDS: readonly CallableKind[] = ['experiment', 'network', 'model', 'connection', 'probe'];
import { didYouMean } from '@snnc/ir';
import type { Io } from '../io.js';

/**
 * `snnc help [NAME]`: usage of snnc or of one command, the parameters of a callable of the
 * language (`snnc help conv2d`, `snnc help LIF`), every callable of one kind
 * (`snnc help optimizer`), or all of them (`snnc help callables`). Everything but the command
 * usage (and `snnc help batch` for a field or option) is rendered from the compiler's parameter table, so it cannot disagree with `snnc check`.
 */
export function registerHelpCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('help')
    .description('show help for snnc, a command, or a callable of the language (`snnc help conv2d`, `snnc help callables`)')
    .argument('[name]', 'a command, a callable (layer, neuron, optimizer, ...), a kind of callable, or `callables`')
    .action((name: string | undefined) => setExit(helpCommand(program, name, io)));
}

/** Writes the help for `name` to stdout; 2 (usage error) for a name that is none of these. */
export function helpCommand(program: Command, name: string | undefined, io: Io): number {
  if (name === undefined) {
    io.stdout.write(program.helpInformation());
    return 0;
  }
  const sub = program.commands.find((c) => c.name() === name);
  if (sub) {
    io.stdout.write(sub.helpInformation());
    return 0;
  }
  const table = allCallables();
  if (name === 'callables') {
    io.stdout.write(callablesIndexText(table, CALLABLE_KINDS));
    return 0;
  }
  // A word can name several callables: `LIF` is a trained neuron and an NEF neuron type.
  const entries = table.filter((e) => e.name === name);
  if (entries.length > 0) {
    io.stdout.write(entries.map(callableText).join('\n'));
    return 0;
  }
  if ((CALLABLE_KINDS as readonly string[]).includes(name)) {
    io.stdout.write(callablesIndexText(table, [name as CallableKind]));
    return 0;
  }
  // A field of an experiment, a network setting, a connection or probe option (`snnc help batch`).
  const fields = table.filter((e) => STATEMENT_KINDS.includes(e.kind)).flatMap((e) => e.params.filter((p) => p.name === name).map((p) => ({ e, p })));
  if (fields.length > 0) {
    io.stdout.write(fields.map(({ e, p }) => `${p.name} (${kindLabel(e.kind)}): ${paramLine(p).replaceAll('`', '')}\n`).join(''));
    return 0;
  }
  const known = [...program.commands.map((c) => c.name()), 'callables', ...table.map((e) => e.name), ...CALLABLE_KINDS, ...table.filter((e) => STATEMENT_KINDS.includes(e.kind)).flatMap((e) => e.params.map((p) => p.name))];
  const hint = didYouMean(name, known);
  io.stderr.write(`error: unknown command or callable '${name}'${hint ? `; ${hint}` : ''}\n(run \`snnc help callables\` for every callable of the language)\n`);
  return 2;
}
