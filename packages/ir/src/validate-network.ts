import type { SnncError } from './diagnostic.js';
import { freeVariables, maxInputIndex, type Expr } from './expr.js';
import { assertNever } from './expr.js';
import type { Connection, Ensemble, NefEndpoint, NefInput, NefNeuron, Network, Probe } from './ir.js';
import type { SourceRange } from './source.js';
import { Problems } from './validate-problems.js';
import { formatValue, IR_RANGES, maxRateLimit } from './validate-ranges.js';
import { checkLearning } from './validate-learning.js';
import { checkSynapse } from './validate-synapse.js';

/**
 * An NEF network's structure and values, in named steps: settings, inputs, ensembles,
 * connections, probes, and learning rules with their error connections.
 */
export function validateNetwork(net: Network, p: Problems = new Problems()): SnncError[] {
  checkSettings(net, p);
  const objects = new Map<string, ObjectInfo>();
  checkInputs(net, objects, p);
  checkEnsembles(net, objects, p);
  checkConnections(net, objects, p);
  checkProbes(net, objects, p);
  checkLearning(net, p);
  return p.list;
}

/** A declared input or ensemble: what endpoints may name. */
type ObjectInfo = { kind: 'input'; value: NefInput } | { kind: 'ensemble'; value: Ensemble };

const R = IR_RANGES.nef;

function checkSettings(net: Network, p: Problems): void {
  p.number('dt', net.dt, R.dt, net.range);
  if (p.number('run', net.runTime, R.run, net.range) && net.runTime < net.dt) {
    p.add('SNN3002', { name: 'run', constraint: `at least one step (dt = ${net.dt} s)`, value: `${net.runTime} s` }, net.range);
  }
  if (net.seed !== null) p.number('seed', net.seed, R.seed, net.range);
}

/** Names are unique across inputs and ensembles; returns false (after reporting) for a repeat. */
function declare(objects: Map<string, ObjectInfo>, obj: ObjectInfo, p: Problems): boolean {
  if (objects.has(obj.value.name)) {
    p.add('SNN2002', { what: obj.kind, name: obj.value.name }, obj.value.range);
    return false;
  }
  objects.set(obj.value.name, obj);
  return true;
}

function checkInputs(net: Network, objects: Map<string, ObjectInfo>, p: Problems): void {
  for (const inp of net.inputs) {
    if (!declare(objects, { kind: 'input', value: inp }, p)) continue;
    const r = inp.range;
    if (!p.number(`${inp.name} dims`, inp.dims, R.dims, r)) continue;
    if (!(Number.isInteger(inp.sizeIn) && inp.sizeIn >= 0)) p.add('SNN3002', { name: `${inp.name} size_in`, constraint: 'a non-negative integer', value: inp.sizeIn }, r);
    checkSignal(inp, p);
  }
}

function checkSignal(inp: NefInput, p: Problems): void {
  const s = inp.signal;
  const r = inp.range;
  switch (s.kind) {
    case 'constant':
      if (s.value.length !== inp.dims) p.add('SNN5001', { actual: s.value.length, target: `input \`${inp.name}\``, expected: inp.dims }, r);
      return;
    case 'piecewise': {
      if (s.points.length === 0) p.add('SNN5010', { message: `piecewise input \`${inp.name}\` has no points` }, r);
      let last = -Infinity;
      for (const pt of s.points) {
        if (!(pt.t > last)) p.add('SNN5010', { message: `piecewise input \`${inp.name}\`: times must increase, but ${pt.t} follows ${last}` }, r);
        if (pt.value.length !== inp.dims) p.add('SNN5010', { message: `piecewise input \`${inp.name}\`: the value at t = ${pt.t} has ${pt.value.length} element(s), expected ${inp.dims}` }, r);
        last = pt.t;
      }
      return;
    }
    case 'expr':
      if (s.exprs.length !== inp.dims) p.add('SNN5001', { actual: s.exprs.length, target: `input \`${inp.name}\``, expected: inp.dims }, r);
      // A node that computes (size_in > 0) also reads `x`, its summed input.
      for (const e of s.exprs) checkNames(e, new Set(inp.sizeIn > 0 ? ['t', 'x'] : ['t']), 'input signal', p);
      return;
    case 'white_noise':
      p.number('std', s.std, R.noiseStd, r);
      if (s.seed !== null) p.number('seed', s.seed, R.seed, r);
      return;
    case 'white_signal':
      // Band-limited noise: a period (s) and a cutoff (Hz) above zero, a non-negative rms.
      p.number('period', s.period, { min: 0, minOpen: true }, r);
      p.number('high', s.high, { min: 0, minOpen: true }, r);
      p.number('rms', s.rms, R.noiseStd, r);
      if (s.seed !== null) p.number('seed', s.seed, R.seed, r);
      return;
    default:
      assertNever(s);
  }
}

function checkEnsembles(net: Network, objects: Map<string, ObjectInfo>, p: Problems): void {
  for (const ens of net.ensembles) {
    if (!declare(objects, { kind: 'ensemble', value: ens }, p)) continue;
    const r = ens.range;
    p.number('n', ens.n, R.n, r);
    p.number('dims', ens.dims, R.dims, r);
    p.number('radius', ens.radius, R.radius, r);
    if (p.range('max_rates', ens.maxRates, R.maxRate, r)) {
      const limit = maxRateTop(ens.neuron);
      if (!(ens.maxRates[1] < limit)) p.add('SNN3002', { name: 'max_rates', constraint: `below 1 / tau_ref = ${formatValue(limit)} Hz`, value: `${formatValue(ens.maxRates[1])} Hz` }, r);
    }
    p.range('intercepts', ens.intercepts, R.intercept, r);
    if (ens.seed !== null) p.number('seed', ens.seed, R.seed, r);
    checkNefNeuron(ens.neuron, r, p);
    if (ens.encoders.kind === 'choice') {
      if (ens.encoders.vectors.length === 0) p.add('SNN3002', { name: 'encoders', constraint: 'a non-empty list of vectors', value: '[]' }, r);
      ens.encoders.vectors.forEach((v, i) => {
        if (v.length !== ens.dims) p.add('SNN5011', { index: i, actual: v.length, name: ens.name, dims: ens.dims }, r);
        else if (!v.some((x) => x !== 0)) p.add('SNN3002', { name: 'encoders', constraint: 'non-zero vectors', value: `[${v.join(', ')}]` }, r);
      });
    }
  }
}

/** The top of `max_rates` must stay below this (strictly: at the limit the gain is infinite). */
function maxRateTop(neuron: NefNeuron): number {
  switch (neuron.kind) {
    case 'lif':
    case 'lif_rate':
      return maxRateLimit(neuron.tauRef);
    case 'relu':
    case 'spiking_relu':
    case 'equations': // checked against its simulated rate curve by the NEF builder
      return Infinity;
    default:
      return assertNever(neuron);
  }
}

function checkNefNeuron(neuron: NefNeuron, r: SourceRange | undefined, p: Problems): void {
  switch (neuron.kind) {
    case 'lif':
      p.number('min_voltage', neuron.minVoltage, R.minVoltage, r);
      p.number('tau_rc', neuron.tauRc, R.tauRc, r);
      p.number('tau_ref', neuron.tauRef, R.tauRef, r);
      return;
    case 'lif_rate':
      p.number('tau_rc', neuron.tauRc, R.tauRc, r);
      p.number('tau_ref', neuron.tauRef, R.tauRef, r);
      return;
    case 'relu':
    case 'spiking_relu':
      p.number('amplitude', neuron.amplitude, R.amplitude, r);
      return;
    case 'equations':
      if (!neuron.neuron.spike) p.add('SNN3003', { name: 'ensemble', choices: 'a spiking neuron', value: neuron.neuron.definition }, r);
      return;
    default:
      assertNever(neuron);
  }
}

/**
 * The size an endpoint names (an input's or ensemble's dims, or an ensemble's neuron count),
 * after checking that its name and kind fit; undefined after reporting. Endpoints of learning
 * rules and connections name connections and are checked with the learning rules.
 */
function endpointSize(ep: NefEndpoint, what: string, objects: Map<string, ObjectInfo>, p: Problems, role: 'source' | 'target' = 'source'): number | undefined {
  if (ep.kind === 'learning' || ep.kind === 'connection') return undefined;
  const obj = objects.get(ep.name);
  if (obj === undefined) {
    p.add('SNN2001', { what, name: ep.name }, ep.range);
    return undefined;
  }
  if ((ep.kind === 'input') !== (obj.kind === 'input')) {
    p.add('SNN5012', { message: `\`${ep.name}\` is ${obj.kind === 'input' ? 'an input' : 'an ensemble'}, not ${ep.kind === 'input' ? 'an input' : 'an ensemble'}` }, ep.range);
    return undefined;
  }
  // a node (an input that reads `x`) receives sizeIn values and sends dims values
  const size = obj.kind === 'input' ? (role === 'target' ? obj.value.sizeIn : obj.value.dims) : ep.kind === 'neurons' ? obj.value.n : obj.value.dims;
  if (ep.slice !== null) {
    const bad = ep.slice.find((i) => !(Number.isInteger(i) && i >= 0 && i < size));
    if (bad !== undefined) {
      p.add('SNN5002', { index: bad, name: ep.name, dims: size }, ep.range);
      return undefined;
    }
  }
  const dims = ep.slice === null ? size : ep.slice.length;
  if (ep.dims !== dims) {
    p.add('SNN5001', { actual: ep.dims, target: `\`${ep.name}\``, expected: dims }, ep.range);
    return undefined;
  }
  return dims;
}

function checkConnections(net: Network, objects: Map<string, ObjectInfo>, p: Problems): void {
  const ids = new Set<string>();
  for (const c of net.connections) {
    if (ids.has(c.id)) p.add('SNN2002', { what: 'connection', name: c.id }, c.range);
    ids.add(c.id);
    const pre = endpointSize(c.pre, 'connection source', objects, p);
    const post = endpointSize(c.post, 'connection target', objects, p, 'target');
    checkSynapse(c.synapse, c.range, p);
    if (c.post.kind === 'input') {
      const node = objects.get(c.post.name);
      if (node?.kind === 'input' && node.value.sizeIn === 0) {
        p.add('SNN5304', { message: `\`${c.post.name}\` is an input of \`t\` only: only a node whose value reads \`x\` can receive a connection` }, c.post.range);
      }
    }
    const width = checkFunction(c, p);
    if (pre !== undefined && post !== undefined && width !== undefined) {
      const t = c.transform;
      if (!(t.length === c.post.dims && t.every((row) => row.length === width))) {
        p.add('SNN5005', { actual: `${t.length}x${t[0]?.length ?? 0}`, expected: `${c.post.dims}x${width}` }, c.range);
      }
    }
    if (c.synapse === null && c.pre.kind !== 'input' && c.pre.kind === c.post.kind && c.pre.name === c.post.name) p.add('SNN5004', { name: c.pre.name }, c.range);
  }
}

/** The width a connection's function gives (the pre's dims without one); undefined after reporting. */
function checkFunction(c: Connection, p: Problems): number | undefined {
  if (c.function === null) return c.pre.dims;
  if (c.pre.kind === 'neurons') {
    p.add('SNN5008', { message: `a connection from \`${c.pre.name}.neurons\` cannot have a function` }, c.range);
    return undefined;
  }
  if (c.function.length === 0) {
    p.add('SNN5008', { message: 'a connection function needs at least one output' }, c.range);
    return undefined;
  }
  for (const f of c.function) {
    const idx = maxInputIndex(f);
    if (idx >= c.pre.dims) p.add('SNN5003', { index: idx, pre: c.pre.name, dims: c.pre.dims }, f.range ?? c.range);
    checkNames(f, new Set(['x']), 'connection function', p);
  }
  return c.function.length;
}

function checkProbes(net: Network, objects: Map<string, ObjectInfo>, p: Problems): void {
  const names = new Set<string>();
  for (const probe of net.probes) {
    if (names.has(probe.name)) p.add('SNN2002', { what: 'probe', name: probe.name }, probe.range);
    names.add(probe.name);
    checkSynapse(probe.synapse, probe.range, p);
    if (probe.target.kind !== 'connection') endpointSize(probe.target, 'probe target', objects, p);
    if (!probeFits(probe)) {
      const k = probe.target.kind;
      const what = k === 'input' ? 'input' : k === 'neurons' ? 'the neurons of' : k === 'ensemble' ? 'ensemble' : 'connection';
      p.add('SNN5009', { message: `cannot probe \`${probe.attr}\` of ${what} \`${probe.target.name}\`` }, probe.range);
      continue;
    }
    const obj = objects.get(probe.target.name);
    // Only spiking neurons integrate a voltage; rate neurons compute their output directly.
    if (probe.attr === 'voltage' && obj?.kind === 'ensemble' && obj.value.neuron.kind !== 'lif' && obj.value.neuron.kind !== 'spiking_relu' && obj.value.neuron.kind !== 'equations') {
      p.add('SNN5009', { message: `\`${probe.target.name}\` uses rate neurons, which have no voltage to probe` }, probe.range);
    }
    if (probe.expect !== null) {
      if (probe.expect.length !== probe.target.dims) p.add('SNN5001', { actual: probe.expect.length, target: `probe \`${probe.name}\``, expected: probe.target.dims }, probe.range);
      const allowed = new Set(['t', ...net.inputs.map((i) => i.name)]);
      for (const e of probe.expect) checkNames(e, allowed, 'expectation', p);
    }
  }
}

/** Which attributes each endpoint kind can record. */
function probeFits(probe: Probe): boolean {
  const k = probe.target.kind;
  switch (probe.attr) {
    case 'decoded':
      return k === 'ensemble';
    case 'output':
      return k === 'input';
    case 'spikes':
    case 'voltage':
      return k === 'neurons';
    case 'weights':
    case 'weights_norm':
      return k === 'connection';
    default:
      return assertNever(probe.attr);
  }
}

function checkNames(e: Expr, allowed: ReadonlySet<string>, where: string, p: Problems): void {
  for (const name of freeVariables(e)) if (!allowed.has(name)) p.add('SNN5006', { what: `name (in ${where})`, name }, e.range);
}
