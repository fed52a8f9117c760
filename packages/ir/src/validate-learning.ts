import { assertNever } from './expr.js';
import type { Connection, Ensemble, Network } from './ir.js';
import type { Problems } from './validate-problems.js';
import { checkSynapse } from './validate-synapse.js';

/** Most entries a `weights` probe may record per step (10 s at 1 ms: 80 MB of doubles). */
export const MAX_WEIGHT_PROBE_ENTRIES = 1000;

/**
 * The learning parts of a network (a step of validateNetwork): connections into a learning
 * rule (`c.learning`), computing nodes as targets, each rule's fit to its connection, every PES
 * rule's error, and weight probes. The compiler reports the same mistakes with the same codes.
 */
export function checkLearning(net: Network, p: Problems): void {
  const ensembles = new Map(net.ensembles.map((e) => [e.name, e]));
  const byId = new Map<string, Connection>(net.connections.map((c) => [c.id, c]));
  for (const c of net.connections) {
    if (c.pre.kind === 'learning' || c.pre.kind === 'connection') p.add('SNN5301', { message: `a connection cannot start at a learning rule or a connection (\`${c.pre.name}\`)` }, c.range);
    if (c.post.kind === 'connection') p.add('SNN5301', { message: `a connection cannot end at connection \`${c.post.name}\`; connect to \`${c.post.name}.learning\`` }, c.range);
    if (c.post.kind === 'learning') checkErrorConnection(c, byId.get(c.post.name), p);
    if (c.post.kind === 'input') {
      const node = net.inputs.find((i) => i.name === c.post.name);
      if (node !== undefined && node.sizeIn > 0 && c.post.slice === null && c.post.dims !== node.sizeIn) {
        p.add('SNN5001', { actual: c.post.dims, target: `node \`${node.name}\``, expected: node.sizeIn }, c.range);
      }
    }
    if (c.learning !== null) checkRule(c, ensembles.get(c.post.name), p);
  }
  // PES without an error connection is allowed, as in Nengo: its error is 0, so it does not learn
  for (const probe of net.probes) {
    if (probe.attr !== 'weights' && probe.attr !== 'weights_norm') continue;
    const c = byId.get(probe.target.name);
    // A target of another kind is reported with the other probe checks.
    if (probe.target.kind !== 'connection') continue;
    if (c === undefined) {
      p.add('SNN5009', { message: `\`${probe.target.name}\` is not a connection, so it has no weights` }, probe.range);
      continue;
    }
    if (c.learning === null) {
      p.add('SNN5009', { message: `\`${probe.target.name}\` has no learning rule, so its weights do not change` }, probe.range);
      continue;
    }
    if (probe.attr === 'weights_norm') continue;
    const entries = weightEntries(c, net);
    if (entries > MAX_WEIGHT_PROBE_ENTRIES) p.add('SNN5303', { name: probe.name, entries, max: MAX_WEIGHT_PROBE_ENTRIES }, probe.range);
  }
}

/** A connection into `target.learning`: PES takes an error as wide as its post, Voja a scalar signal. */
function checkErrorConnection(c: Connection, target: Connection | undefined, p: Problems): boolean {
  const rule = target?.learning ?? null;
  if (target === undefined || rule === null) {
    p.add('SNN5301', { message: `\`${c.post.name}\` is not a connection with a learning rule` }, c.range);
    return false;
  }
  if (rule.kind !== 'pes' && rule.kind !== 'voja') {
    p.add('SNN5301', { message: `${rule.kind.toUpperCase()} has no error input; only PES (an error) and Voja (a learning signal) take a connection` }, c.range);
    return false;
  }
  const want = rule.kind === 'pes' ? target.post.dims : 1;
  if (c.post.dims !== want) p.add('SNN5001', { actual: c.post.dims, target: `the rule of \`${c.post.name}\``, expected: want }, c.range);
  return true;
}

/** Which connections each rule can learn on. */
function checkRule(c: Connection, postEns: Ensemble | undefined, p: Problems): void {
  const rule = c.learning!;
  p.number('learning_rate', rule.learningRate, { min: 0 }, c.range);
  if ('preSynapse' in rule) checkSynapse(rule.preSynapse, c.range, p);
  if ('postSynapse' in rule) checkSynapse(rule.postSynapse, c.range, p);
  if (rule.kind === 'bcm') checkSynapse(rule.thetaSynapse, c.range, p);
  switch (rule.kind) {
    case 'pes':
      if (c.pre.kind === 'input') p.add('SNN5300', { message: 'PES learns decoders or weights, so the connection must start at an ensemble or its neurons' }, c.range);
      if (c.post.kind !== 'ensemble') p.add('SNN5300', { message: 'PES needs a decoded target (an ensemble), not neurons or a node' }, c.range);
      return;
    case 'bcm':
    case 'oja': {
      const name = rule.kind.toUpperCase();
      const neurons = c.pre.kind === 'neurons' && c.post.kind === 'neurons';
      const decoded = c.pre.kind === 'ensemble' && c.post.kind === 'ensemble';
      if (!neurons && !decoded) p.add('SNN5300', { message: `${name} learns neuron-to-neuron weights: connect \`pre.neurons -> post.neurons\` or ensemble to ensemble (full weights)` }, c.range);
      else if (neurons && (c.pre.slice !== null || c.post.slice !== null)) p.add('SNN5300', { message: `${name} on neurons takes whole populations, not slices` }, c.range);
      if (rule.kind === 'oja') p.number('beta', rule.beta, { min: 0 }, c.range);
      return;
    }
    case 'voja':
      if (c.post.kind !== 'ensemble' || postEns === undefined || c.post.slice !== null) {
        p.add('SNN5300', { message: 'Voja learns the encoders of a whole post ensemble: the connection must end at an unsliced ensemble' }, c.range);
      }
      return;
    default:
      assertNever(rule);
  }
}

/** Entries of a connection's weight matrix as a `weights` probe records it. */
export function weightEntries(c: Connection, net: Pick<Network, 'ensembles'>): number {
  const ens = (name: string) => net.ensembles.find((e) => e.name === name);
  if (c.learning?.kind === 'voja') {
    const e = ens(c.post.name);
    return e === undefined ? 0 : e.n * e.dims;
  }
  const nPre = c.pre.kind === 'ensemble' ? (ens(c.pre.name)?.n ?? 0) : c.pre.dims;
  const fullWeights = (c.learning?.kind === 'bcm' || c.learning?.kind === 'oja') && c.post.kind === 'ensemble';
  const nPost = fullWeights ? (ens(c.post.name)?.n ?? 0) : c.post.dims;
  return c.pre.kind === 'input' ? c.post.dims : nPre * nPost;
}
