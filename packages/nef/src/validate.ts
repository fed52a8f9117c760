import { freeVariables, maxInputIndex, SnncError, type Expr, type Network, type NefEndpoint, type SourceRange } from '@snnc/ir';
import { hasVoltage, maxFiringRate } from './neurons.js';

/**
 * Checks a network before building. The `.snn` compiler reports all of these as diagnostics
 * already; IR built by hand (tests, tools, the editor's scratch networks) can still get here,
 * so each problem becomes an SnncError with the compiler's code and the IR's source range.
 */
export function validateNetwork(net: Network): void {
  const fail = (code: ConstructorParameters<typeof SnncError>[0], args: Record<string, string | number>, range?: SourceRange): never => {
    throw new SnncError(code, args, range === undefined ? {} : { range });
  };
  if (!(net.dt > 0) || !Number.isFinite(net.dt)) fail('SNN3002', { name: 'dt', constraint: 'a positive time', value: net.dt }, net.range);
  if (!(net.runTime >= 0) || !Number.isFinite(net.runTime)) fail('SNN3002', { name: 'run', constraint: 'a non-negative time', value: net.runTime }, net.range);

  const names = new Map<string, 'input' | 'ensemble'>();
  for (const inp of net.inputs) {
    if (names.has(inp.name)) fail('SNN2002', { what: 'input', name: inp.name }, inp.range);
    names.set(inp.name, 'input');
    if (!(Number.isInteger(inp.dims) && inp.dims >= 1)) fail('SNN3002', { name: `${inp.name} dims`, constraint: 'a positive integer', value: inp.dims }, inp.range);
    const s = inp.signal;
    switch (s.kind) {
      case 'constant':
        if (s.value.length !== inp.dims) fail('SNN5001', { actual: s.value.length, target: `input \`${inp.name}\``, expected: inp.dims }, inp.range);
        break;
      case 'piecewise': {
        if (s.points.length === 0) fail('SNN5010', { message: `piecewise input \`${inp.name}\` has no points` }, inp.range);
        let last = -Infinity;
        for (const p of s.points) {
          if (!(p.t > last)) fail('SNN5010', { message: `piecewise input \`${inp.name}\`: times must increase, but ${p.t} follows ${last}` }, inp.range);
          if (p.value.length !== inp.dims) fail('SNN5010', { message: `piecewise input \`${inp.name}\`: the value at t = ${p.t} has ${p.value.length} element(s), expected ${inp.dims}` }, inp.range);
          last = p.t;
        }
        break;
      }
      case 'expr':
        if (s.exprs.length !== inp.dims) fail('SNN5001', { actual: s.exprs.length, target: `input \`${inp.name}\``, expected: inp.dims }, inp.range);
        for (const e of s.exprs) checkNames(e, new Set(['t']), 'input signal', fail);
        break;
      case 'white_noise':
        if (!(s.std >= 0)) fail('SNN3002', { name: 'std', constraint: 'non-negative', value: s.std }, inp.range);
        break;
      default: {
        const never: never = s;
        throw new Error(`unknown signal ${JSON.stringify(never)}`);
      }
    }
  }
  const ensembles = new Map<string, Network['ensembles'][number]>();
  for (const ens of net.ensembles) {
    if (names.has(ens.name)) fail('SNN2002', { what: 'ensemble', name: ens.name }, ens.range);
    names.set(ens.name, 'ensemble');
    ensembles.set(ens.name, ens);
    const r = ens.range;
    if (!(Number.isInteger(ens.n) && ens.n >= 1)) fail('SNN3002', { name: 'n', constraint: 'a positive integer', value: ens.n }, r);
    if (!(Number.isInteger(ens.dims) && ens.dims >= 1)) fail('SNN3002', { name: 'dims', constraint: 'a positive integer', value: ens.dims }, r);
    if (!(ens.radius > 0)) fail('SNN3002', { name: 'radius', constraint: 'positive', value: ens.radius }, r);
    const [rlo, rhi] = ens.maxRates;
    const top = maxFiringRate(ens.neuron);
    if (!(rlo > 0 && rlo <= rhi)) fail('SNN3002', { name: 'max_rates', constraint: 'an increasing range of positive rates', value: `[${rlo}, ${rhi}]` }, r);
    if (!(rhi <= top)) fail('SNN3002', { name: 'max_rates', constraint: `at most 1/tau_ref = ${top} Hz`, value: rhi }, r);
    const [ilo, ihi] = ens.intercepts;
    if (!(ilo <= ihi && ihi < 1 && ilo > -Infinity)) fail('SNN3002', { name: 'intercepts', constraint: 'an increasing range below 1', value: `[${ilo}, ${ihi}]` }, r);
    const nk = ens.neuron;
    if ((nk.kind === 'lif' || nk.kind === 'lif_rate') && !(nk.tauRc > 0 && nk.tauRef >= 0))
      fail('SNN3002', { name: 'tau_rc', constraint: 'positive (and tau_ref non-negative)', value: nk.tauRc }, r);
    if (ens.encoders.kind === 'choice') {
      if (ens.encoders.vectors.length === 0) fail('SNN3002', { name: 'encoders', constraint: 'a non-empty list of vectors', value: '[]' }, r);
      ens.encoders.vectors.forEach((v, i) => {
        if (v.length !== ens.dims) fail('SNN5011', { index: i, actual: v.length, name: ens.name, dims: ens.dims }, r);
        if (!v.some((x) => x !== 0)) fail('SNN3002', { name: 'encoders', constraint: 'non-zero vectors', value: `[${v.join(', ')}]` }, r);
      });
    }
  }

  const ensembleOf = (ep: NefEndpoint, what: string): void => {
    const kind = names.get(ep.name);
    if (kind === undefined) fail('SNN2001', { what, name: ep.name }, ep.range);
    if ((ep.kind === 'input') !== (kind === 'input')) fail('SNN5012', { message: `\`${ep.name}\` is ${kind === 'input' ? 'an input' : 'an ensemble'}, not ${ep.kind === 'input' ? 'an input' : 'an ensemble'}` }, ep.range);
    const size = ep.kind === 'input' ? net.inputs.find((i) => i.name === ep.name)!.dims : ep.kind === 'neurons' ? ensembles.get(ep.name)!.n : ensembles.get(ep.name)!.dims;
    if (ep.slice !== null) {
      for (const i of ep.slice) if (!(Number.isInteger(i) && i >= 0 && i < size)) fail('SNN5002', { index: i, name: ep.name, dims: size }, ep.range);
    }
    const dims = ep.slice === null ? size : ep.slice.length;
    if (ep.dims !== dims) fail('SNN5001', { actual: ep.dims, target: `\`${ep.name}\``, expected: dims }, ep.range);
  };

  const ids = new Set<string>();
  for (const c of net.connections) {
    if (ids.has(c.id)) throw new Error(`validateNetwork: duplicate connection id ${c.id}`);
    ids.add(c.id);
    ensembleOf(c.pre, 'connection source');
    ensembleOf(c.post, 'connection target');
    if (c.post.kind === 'input') fail('SNN5012', { message: `\`${c.post.name}\` is an input; connections can only end at an ensemble or its neurons` }, c.post.range);
    let width = c.pre.dims;
    if (c.function !== null) {
      if (c.pre.kind === 'neurons') fail('SNN5008', { message: `a connection from \`${c.pre.name}.neurons\` cannot have a function` }, c.range);
      if (c.function.length === 0) fail('SNN5008', { message: 'a connection function needs at least one output' }, c.range);
      for (const f of c.function) {
        const idx = maxInputIndex(f);
        if (idx >= c.pre.dims) fail('SNN5003', { index: idx, pre: c.pre.name, dims: c.pre.dims }, f.range ?? c.range);
        checkNames(f, new Set(['x']), 'connection function', fail);
      }
      width = c.function.length;
    }
    const t = c.transform;
    const shapeOk = t.length === c.post.dims && t.every((row) => row.length === width);
    if (!shapeOk) fail('SNN5005', { actual: `${t.length}x${t[0]?.length ?? 0}`, expected: `${c.post.dims}x${width}` }, c.range);
    if (c.synapse !== null && !(c.synapse >= 0)) fail('SNN3002', { name: 'synapse', constraint: 'a non-negative time', value: c.synapse }, c.range);
    if (c.synapse === null && c.pre.kind !== 'input' && c.pre.name === c.post.name) fail('SNN5004', { name: c.pre.name }, c.range);
  }

  const probeNames = new Set<string>();
  for (const p of net.probes) {
    if (probeNames.has(p.name)) fail('SNN2002', { what: 'probe', name: p.name }, p.range);
    probeNames.add(p.name);
    ensembleOf(p.target, 'probe target');
    const k = p.target.kind;
    const ok =
      (p.attr === 'decoded' && k === 'ensemble') ||
      (p.attr === 'output' && k === 'input') ||
      ((p.attr === 'spikes' || p.attr === 'voltage') && k === 'neurons');
    if (!ok) fail('SNN5009', { message: `cannot probe \`${p.attr}\` of ${k === 'input' ? 'input' : k === 'neurons' ? 'the neurons of' : 'ensemble'} \`${p.target.name}\`` }, p.range);
    if (p.attr === 'voltage' && !hasVoltage(ensembles.get(p.target.name)!.neuron))
      fail('SNN5009', { message: `\`${p.target.name}\` uses rate neurons, which have no voltage to probe` }, p.range);
    if (p.synapse !== null && !(p.synapse >= 0)) fail('SNN3002', { name: 'synapse', constraint: 'a non-negative time', value: p.synapse }, p.range);
    if (p.expect !== null) {
      if (p.expect.length !== p.target.dims) fail('SNN5001', { actual: p.expect.length, target: `probe \`${p.name}\``, expected: p.target.dims }, p.range);
      const allowed = new Set(['t', ...net.inputs.map((i) => i.name)]);
      for (const e of p.expect) checkNames(e, allowed, 'expectation', fail);
    }
  }
}

function checkNames(
  e: Expr,
  allowed: ReadonlySet<string>,
  where: string,
  fail: (code: 'SNN5006', args: Record<string, string | number>, range?: SourceRange) => never,
): void {
  for (const name of freeVariables(e)) if (!allowed.has(name)) fail('SNN5006', { what: `name (in ${where})`, name }, e.range);
}
