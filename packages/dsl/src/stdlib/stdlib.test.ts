import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../compile.js';
import { format } from '../format.js';
import { STDLIB_FILE, STDLIB_NEURONS_SOURCE, stdlibAst } from './index.js';
import { stdlibAstModule } from './ast-module.js';
import { treeToJson } from './tree-json.js';
import { libraryNeuronEntries, neuronEntriesOf } from './entries.js';
import { libraryNeuron, libraryNeuronNames } from './library.js';
import { parse } from '../parse.js';

const SNN = path.resolve(import.meta.dirname, '../../stdlib/neurons.snn');

describe('standard library of neurons', () => {
  it('the embedded copy is up to date (run `node packages/dsl/scripts/embed-stdlib.mjs` after editing stdlib/neurons.snn)', () => {
    expect(STDLIB_NEURONS_SOURCE).toBe(readFileSync(SNN, 'utf8'));
  });

  it('the precomputed syntax tree is up to date (run `npm run stdlib:ast -w @snnc/dsl` after the embedded copy or the parser changes)', () => {
    expect(readFileSync(new URL('./neurons-ast.generated.ts', import.meta.url), 'utf8')).toBe(stdlibAstModule());
  });

  it('reads back the very tree the parser gives, shared objects included', () => {
    const parsed = parse(STDLIB_NEURONS_SOURCE, { file: STDLIB_FILE }).ast!;
    expect(stdlibAst()).toStrictEqual(parsed);
    expect(treeToJson(stdlibAst())).toBe(treeToJson(parsed));
    const st = stdlibAst().statements[0]!;
    expect(st.kind === 'neuron' && st.definition?.range).toBe(st.range);
  });

  it('compiles without a diagnostic and is formatter-stable', () => {
    const r = compile(STDLIB_NEURONS_SOURCE, { file: 'neurons.snn', stdlib: false });
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(format(STDLIB_NEURONS_SOURCE, { file: 'neurons.snn' }).text).toBe(STDLIB_NEURONS_SOURCE);
  });

  it('holds the families the issue lists, each a neuron of the library', () => {
    expect(libraryNeuronNames()).toEqual(['IF', 'LIF', 'PLIF', 'ALIF', 'CubaLIF', 'LI', 'Integrator', 'LIFRefractory', 'Izhikevich', 'AdEx', 'ResonateAndFire']);
    expect(libraryNeuron('CubaLIF')?.scheme).toBe('exact');
    expect(libraryNeuron('Izhikevich')?.scheme).toBe('euler');
    expect(libraryNeuron('LI')?.spike).toBeNull();
    expect(libraryNeuron('LIFRefractory')?.refractory).toEqual({ unit: 'seconds', value: 0.002 });
  });

  it('is visible from every file without a `use`', () => {
    const r = compile('model m(input: [4], steps: 2) {\n  dense(3) -> AdEx(b: 60) -> dense(2) -> LIF\n}\n', { file: 'm.snn' });
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.imports).toEqual([]);
  });

  it('gives parameter-table entries for library and user definitions', () => {
    const izh = libraryNeuronEntries().find((e) => e.name === 'Izhikevich')!;
    expect(izh.kind).toBe('neuron');
    expect(izh.doc).toMatch(/^Izhikevich \(2003\)/);
    expect(izh.params.map((p) => p.name)).toEqual(['a', 'b', 'c', 'd', 'v_peak', 'dt', 'surrogate', 'detach_reset']);
    expect(izh.params[2]!.default).toEqual({ value: -65, text: '-65' });
    const cuba = libraryNeuronEntries().find((e) => e.name === 'CubaLIF')!;
    expect(cuba.params[0]).toMatchObject({ name: 'tau_mem', unit: 'seconds', default: { value: 0.01, text: '10ms' } });
    const ast = parse('// my neuron\nneuron Mine(k: 2.0) {\n  state v = 0\n  v += x / k\n}\n', { file: 'u.snn' }).ast!;
    expect(neuronEntriesOf(ast)).toMatchObject([{ name: 'Mine', doc: 'my neuron', params: [{ name: 'k', default: { value: 2 } }, { name: 'dt' }, { name: 'surrogate' }, { name: 'detach_reset' }] }]);
  });
});
