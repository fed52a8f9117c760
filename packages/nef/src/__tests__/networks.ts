// Networks shared by the tests (not exported from the package).
import type { Expr, Network, Signal } from '@snnc/ir';
import { connect, constant, ensemble, ep, input, mul, network, num, probe, xi } from '../ir-builders.js';

/** a + b through A, B -> C, probed with a 10 ms synapse; expect `a + b`. */
export function addition(a: number, b: number, seed = 0, runTime = 2): Network {
  const parts = { inputs: [input('a', constant(a)), input('b', constant(b))], ensembles: [ensemble('A', 100), ensemble('B', 100), ensemble('C', 200)] };
  const sum: Expr = { kind: 'binary', op: '+', left: { kind: 'var', name: 'a' }, right: { kind: 'var', name: 'b' } };
  return network('adding', {
    ...parts,
    seed,
    runTime,
    connections: [
      connect(ep(parts, 'a'), ep(parts, 'A')),
      connect(ep(parts, 'b'), ep(parts, 'B')),
      connect(ep(parts, 'A'), ep(parts, 'C')),
      connect(ep(parts, 'B'), ep(parts, 'C')),
    ],
    probes: [probe('out', ep(parts, 'C'), { synapse: 0.01, expect: [sum] })],
  });
}

/** u -> A -> B computing x^2. */
export function squaring(signal: Signal, seed = 0, runTime = 2): Network {
  const parts = { inputs: [input('u', signal, 1)], ensembles: [ensemble('A', 100), ensemble('B', 100)] };
  return network('calculate', {
    ...parts,
    seed,
    runTime,
    connections: [connect(ep(parts, 'u'), ep(parts, 'A')), connect(ep(parts, 'A'), ep(parts, 'B'), { function: [mul(xi(0), xi(0))] })],
    probes: [probe('out', ep(parts, 'B'), { synapse: 0.01, expect: [mul({ kind: 'var', name: 'u' }, { kind: 'var', name: 'u' })] })],
  });
}

/** [a, b] -> 2-D ensemble (radius sqrt 2) -> product. */
export function multiply(a: number, b: number, seed = 0, runTime = 2): Network {
  const parts = { inputs: [input('ab', constant(a, b))], ensembles: [ensemble('combined', 200, { dims: 2, radius: Math.SQRT2 }), ensemble('prod', 100)] };
  return network('multiply', {
    ...parts,
    seed,
    runTime,
    connections: [connect(ep(parts, 'ab'), ep(parts, 'combined')), connect(ep(parts, 'combined'), ep(parts, 'prod'), { function: [mul(xi(0), xi(1))] })],
    probes: [probe('out', ep(parts, 'prod'), { synapse: 0.01, expect: [num(a * b)] }), probe('ab', ep(parts, 'combined'), { synapse: 0.01 })],
  });
}

/** An integrator (memory): input through transform tau into A with a recurrent tau synapse. */
export function memory(pulse: Signal, seed = 0, runTime = 1.5): Network {
  const parts = { inputs: [input('u', pulse, 1)], ensembles: [ensemble('A', 100)] };
  return network('memory', {
    ...parts,
    seed,
    runTime,
    connections: [connect(ep(parts, 'u'), ep(parts, 'A'), { transform: 0.1, synapse: 0.1 }), connect(ep(parts, 'A'), ep(parts, 'A'), { synapse: 0.1 })],
    probes: [probe('out', ep(parts, 'A'), { synapse: 0.01 }), probe('u', ep(parts, 'u'))],
  });
}

/** Mean of a column over [from, to) seconds. */
export function meanBetween(data: Float64Array, t: Float64Array, from: number, to: number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < t.length; i++) if (t[i]! >= from && t[i]! < to) (s += data[i]!), n++;
  return s / n;
}
