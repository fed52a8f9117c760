import { SnncError, synapseProblem, type Connection, type Network, type SourceRange, type Synapse } from '@snnc/ir';

/** Most entries a `weights` probe may record per step (10 s at 1 ms: 80 MB of doubles). */
export const MAX_WEIGHT_PROBE_ENTRIES = 1000;

/**
 * Checks learning rules, their error connections, synapses, computing nodes and weight probes
 * (the parts of a network that `validateNetwork` predates). The `.snn` compiler reports these
 * as diagnostics first; hand-built IR gets the same codes as SnncErrors.
 */
export function validateLearning(net: Network): void {
  const fail = (code: ConstructorParameters<typeof SnncError>[0], args: Record<string, string | number>, range?: SourceRange): never => {
    throw new SnncError(code, args, range === undefined ? {} : { range });
  };
  const checkSynapse = (s: Synapse | null, range?: SourceRange): void => {
    if (s === null) return;
    const problem = synapseProblem(s);
    if (problem !== null) fail('SNN5302', { synapse: s.kind, message: problem }, range);
  };
  const ensembles = new Map(net.ensembles.map((e) => [e.name, e]));
  const byId = new Map<string, Connection>();
  for (const c of net.connections) byId.set(c.id, c);
  const errorInto = new Map<string, Connection[]>();
  for (const c of net.connections) {
    checkSynapse(c.synapse, c.range);
    if (c.pre.kind === 'learning' || c.pre.kind === 'connection') fail('SNN5301', { message: `a connection cannot start at a learning rule or a connection (\`${c.pre.name}\`)` }, c.range);
    if (c.post.kind === 'connection') fail('SNN5301', { message: `a connection cannot end at connection \`${c.post.name}\`; connect to \`${c.post.name}.learning\`` }, c.range);
    if (c.post.kind === 'learning') {
      const target = byId.get(c.post.name);
      if (target === undefined || target.learning === null) fail('SNN5301', { message: `\`${c.post.name}\` is not a connection with a learning rule` }, c.range);
      const rule = target!.learning!;
      if (rule.kind !== 'pes' && rule.kind !== 'voja') fail('SNN5301', { message: `${rule.kind.toUpperCase()} has no error input; only PES (an error) and Voja (a learning signal) take a connection` }, c.range);
      const want = rule.kind === 'pes' ? target!.post.dims : 1;
      if (c.post.dims !== want) fail('SNN5001', { actual: c.post.dims, target: `the rule of \`${c.post.name}\``, expected: want }, c.range);
      errorInto.set(c.post.name, [...(errorInto.get(c.post.name) ?? []), c]);
    }
    if (c.post.kind === 'input') {
      const node = net.inputs.find((i) => i.name === c.post.name);
      if (node === undefined || node.sizeIn === 0) fail('SNN5304', { message: `input \`${c.post.name}\` does not read \`x\`, so it cannot receive a connection` }, c.range);
      else if (c.post.slice === null && c.post.dims !== node.sizeIn) fail('SNN5001', { actual: c.post.dims, target: `node \`${node.name}\``, expected: node.sizeIn }, c.range);
    }
    const rule = c.learning;
    if (rule === null) continue;
    checkSynapse('preSynapse' in rule ? rule.preSynapse : null, c.range);
    checkSynapse('postSynapse' in rule ? rule.postSynapse : null, c.range);
    if (rule.kind === 'bcm') checkSynapse(rule.thetaSynapse, c.range);
    if (!(rule.learningRate >= 0 && Number.isFinite(rule.learningRate))) fail('SNN3002', { name: 'learning_rate', constraint: 'a non-negative number', value: rule.learningRate }, c.range);
    const postEns = ensembles.get(c.post.name);
    switch (rule.kind) {
      case 'pes':
        if (c.pre.kind === 'input') fail('SNN5300', { message: 'PES learns decoders or weights, so the connection must start at an ensemble or its neurons' }, c.range);
        if (c.post.kind !== 'ensemble') fail('SNN5300', { message: 'PES needs a decoded target (an ensemble), not neurons or a node' }, c.range);
        break;
      case 'bcm':
      case 'oja': {
        const neurons = c.pre.kind === 'neurons' && c.post.kind === 'neurons';
        const decoded = c.pre.kind === 'ensemble' && c.post.kind === 'ensemble';
        if (!neurons && !decoded) fail('SNN5300', { message: `${rule.kind.toUpperCase()} learns neuron-to-neuron weights: connect \`pre.neurons -> post.neurons\` or ensemble to ensemble (full weights)` }, c.range);
        if (neurons && (c.pre.slice !== null || c.post.slice !== null)) fail('SNN5300', { message: `${rule.kind.toUpperCase()} on neurons takes whole populations, not slices` }, c.range);
        if (rule.kind === 'oja' && !(rule.beta >= 0)) fail('SNN3002', { name: 'beta', constraint: 'non-negative', value: rule.beta }, c.range);
        break;
      }
      case 'voja':
        if (c.post.kind !== 'ensemble' || postEns === undefined || c.post.slice !== null) fail('SNN5300', { message: 'Voja learns the encoders of a whole post ensemble: the connection must end at an unsliced ensemble' }, c.range);
        break;
      default: {
        const never: never = rule;
        throw new Error(`unknown learning rule ${JSON.stringify(never)}`);
      }
    }
  }
  for (const p of net.probes) {
    checkSynapse(p.synapse, p.range);
    if (p.attr !== 'weights' && p.attr !== 'weights_norm') continue;
    const c = byId.get(p.target.name);
    if (p.target.kind !== 'connection' || c === undefined) fail('SNN5009', { message: `\`${p.target.name}\` is not a connection, so it has no weights` }, p.range);
    if (p.attr === 'weights') {
      const entries = weightEntries(c!, net);
      if (entries > MAX_WEIGHT_PROBE_ENTRIES) fail('SNN5303', { name: p.name, entries, max: MAX_WEIGHT_PROBE_ENTRIES }, p.range);
    }
  }
}

/** Entries of a connection's weight matrix as a `weights` probe records it. */
export function weightEntries(c: Connection, net: Network): number {
  const ens = (name: string) => net.ensembles.find((e) => e.name === name);
  if (c.learning?.kind === 'voja') {
    const e = ens(c.post.name);
    return e === undefined ? 0 : e.n * e.dims;
  }
  const nPre = c.pre.kind === 'ensemble' ? (ens(c.pre.name)?.n ?? 0) : c.pre.dims;
  const bcmFull = (c.learning?.kind === 'bcm' || c.learning?.kind === 'oja') && c.post.kind === 'ensemble';
  const nPost = bcmFull ? (ens(c.post.name)?.n ?? 0) : c.post.dims;
  return c.pre.kind === 'input' ? c.post.dims : nPre * nPost;
}
