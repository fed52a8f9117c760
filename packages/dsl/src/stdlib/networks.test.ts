import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileText, codes } from '../test-util.js';
import { STDLIB_NETWORKS_SOURCE } from './networks.generated.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('the library of NEF networks (use "std:networks")', () => {
  it('the embedded copy is up to date (run `node packages/dsl/scripts/embed-networks.mjs` after editing stdlib/networks.snn)', () => {
    expect(STDLIB_NETWORKS_SOURCE).toBe(readFileSync(join(root, 'stdlib/networks.snn'), 'utf8'));
  });

  it('compiles: every library network runs on its own', () => {
    const r = compileText(STDLIB_NETWORKS_SOURCE);
    expect(codes(r)).toEqual([]);
    expect(r.ir!.networks.map((n) => n.name)).toEqual(['IntegratorNetwork', 'Oscillator', 'Product', 'EnsembleArray2', 'EnsembleArray3', 'InputGatedMemory', 'BasalGanglia2', 'Thalamus2']);
  });

  it('an instance copies in the objects and connections with prefixed names and the given parameters', () => {
    const r = compileText('use "std:networks"\nnetwork n {\n  input s = 1\n  network integ = IntegratorNetwork(n: 30, tau: 50ms)\n  connect s -> integ.in\n  probe integ.ens\n  run 0.1s\n}\n');
    expect(codes(r)).toEqual([]);
    const net = r.ir!.networks.find((x) => x.name === 'n')!;
    expect(net.inputs.map((i) => i.name)).toEqual(['s', 'integ.in']);
    expect(net.ensembles.map((e) => [e.name, e.n])).toEqual([['integ.ens', 30]]);
    expect(net.connections.map((c) => `${c.id}: ${c.pre.name} -> ${c.post.name}`)).toEqual(['integ.conn_0: integ.in -> integ.ens', 'integ.conn_1: integ.ens -> integ.ens', 'conn_0: s -> integ.in']);
    expect(net.connections[0]!.transform).toEqual([[0.05]]);
    expect(net.connections[1]!.synapse).toEqual({ kind: 'lowpass', tau: 0.05 });
    expect(net.probes[0]!.target).toMatchObject({ name: 'integ.ens', kind: 'ensemble' });
  });

  it('reports unknown networks, parameters, self-inclusion and bare instance names', () => {
    const body = (items: string) => `use "std:networks"\nnetwork n {\n${items}\n  run 0.1s\n}\n`;
    expect(codes(compileText(body('  network y = Integratr()')))).toEqual(['SNN2001 unknown network `Integratr`']);
    expect(codes(compileText(body('  network y = Product(neurons: 5)')))[0]).toMatch(/^SNN2003 network `Product` has no parameter `neurons`/);
    expect(codes(compileText('network n {\n  network me = n()\n  run 0.1s\n}\n'))[0]).toMatch(/^SNN5307 network `n` would contain itself/);
    expect(codes(compileText(body('  network p = Product()\n  probe p')))[0]).toMatch(/^SNN5012 `p` is a network instance: name one of its objects/);
  });
});
