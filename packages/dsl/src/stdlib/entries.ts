import type { NeuronDefinition, NeuronStatement, SnnFile } from '../ast.js';
import type { CallableEntry, ParamEntry } from '../catalog/types.js';
import { checkNeuronDefinition, DEFAULT_NEURON_DT, type CheckedNeuron } from '../check/neuron-defs.js';
import { Sink } from '../check/sink.js';
import { expr } from '../format.js';
import { stdlibAst } from './index.js';

/**
 * Parameter-table entries (`CallableEntry`, kind `neuron`) made from neuron definitions, so the
 * checks' table, `snnc help`, the editor and the docs describe library and user neurons like the
 * built-ins. The doc line is the comment right above the definition.
 */
export function neuronEntriesOf(file: SnnFile): CallableEntry[] {
  const out: CallableEntry[] = [];
  for (const st of file.statements) {
    if (st.kind !== 'neuron' || !st.definition || st.broken) continue;
    const decl = st as NeuronStatement & { definition: NeuronDefinition };
    // a definition with errors still gets an entry from what checks; the errors are the compiler's to report
    const checked = checkNeuronDefinition(decl, new Sink());
    out.push(entryOf(decl, checked, docAbove(file, decl)));
  }
  return out;
}

/** Entries of the standard library's definitions except IF/LIF/PLIF/ALIF, whose built-in entries also list `reset: soft` and `decay_input`. */
export function libraryNeuronEntries(): CallableEntry[] {
  const builtin = new Set(['IF', 'LIF', 'PLIF', 'ALIF']);
  return neuronEntriesOf(stdlibAst()).filter((e) => !builtin.has(e.name));
}

function entryOf(decl: NeuronStatement & { definition: NeuronDefinition }, checked: CheckedNeuron | undefined, doc: string): CallableEntry {
  const params: ParamEntry[] = decl.definition.params.map((p) => {
    const info = checked?.params.find((c) => c.name === p.name.name);
    const entry: ParamEntry = { name: p.name.name, type: 'number', default: { value: info?.default ?? null, text: expr(p.value) }, doc: `parameter of \`${decl.name.name}\`` };
    if (info?.unit === 'time') {
      entry.unit = 'seconds';
      entry.num = { unit: 'time' };
    } else if (info?.unit === 'rate') {
      entry.unit = 'Hz';
      entry.num = { unit: 'rate' };
    }
    return entry;
  });
  params.push(
    { name: 'dt', type: 'number', num: { unit: 'time', min: 0, minOpen: true }, unit: 'seconds', default: { value: DEFAULT_NEURON_DT, text: '1ms' }, doc: 'simulation step of continuous-time dynamics' },
    { name: 'surrogate', type: 'call', callKind: 'surrogate', default: { value: checked?.surrogate.kind ?? 'atan', text: checked ? `${checked.surrogate.kind}(alpha: ${checked.surrogate.alpha})` : 'atan(alpha: 2)' }, doc: 'surrogate gradient of the spike in the backward pass' },
    { name: 'detach_reset', type: 'boolean', default: { value: false, text: 'false' }, doc: 'cut the reset out of the backward pass' },
  );
  const first = decl.definition.params[0];
  return {
    name: decl.name.name,
    kind: 'neuron',
    doc,
    params,
    snippet: first ? `${decl.name.name}(${first.name.name}: \${1:${expr(first.value)}})` : decl.name.name,
  };
}

/** The comment block ending on the line above the statement, joined into one line. */
function docAbove(file: SnnFile, st: NeuronStatement): string {
  const lines: string[] = [];
  let line = st.range.line - 1;
  for (let i = file.comments.length - 1; i >= 0; i--) {
    const c = file.comments[i]!;
    if (c.range.endLine !== line || c.block) continue;
    lines.unshift(c.text.replace(/^\/\/\s?/, ''));
    line--;
  }
  return lines.length > 0 ? lines.join(' ') : `neuron \`${st.name.name}\` defined in .snn`;
}
