import type { Connection, Ensemble, NefInput, Network, Probe, SourceRange } from '@snnc/ir';
import type { NetworkItem, NetworkStatement } from '../ast.js';
import { callable, numOf } from '../catalog/index.js';
import type { ConstEnv } from './evaluate.js';
import type { DataReader } from './matrices.js';
import { readConnection, readProbe, reportInstantLoops, targetsRule } from './nef-connections.js';
import { NEF_DEFAULTS, RESERVED, RESERVED_MEANING, type NetCtx } from './nef-context.js';
import { readEnsemble, readInput } from './nef-objects.js';
import { expandSubnetworks } from './subnetworks.js';
import { fmtNumber } from './describe.js';
import { readNumber } from './read.js';
import type { Sink } from './sink.js';

export { NEF_DEFAULTS };

const NETWORK = callable('network', 'network');

/** Resolves a NEF network; undefined after reporting. Objects may be used before they are declared. */
export function resolveNetwork(
  decl: NetworkStatement,
  sink: Sink,
  data: DataReader = {},
  neuronDefinition?: NetCtx['neuronDefinition'],
  networks?: (name: string) => NetworkStatement | undefined,
  instance?: { params: Map<string, number>; stack: string[] },
): Network | undefined {
  const before = sink.errorCount;
  const ctx: NetCtx = { sink, env: readParams(decl, sink, instance?.params), objects: new Map(), declared: new Set(), connectionNames: new Set(), connections: new Map(), data, instances: new Set() };
  if (neuronDefinition) ctx.neuronDefinition = neuronDefinition;
  const settings = readSettings(decl, ctx, instance !== undefined);
  const { inputs, ensembles } = readObjects(decl, ctx);
  const stack = [...(instance?.stack ?? []), decl.name.name];
  const host = networks && {
    network: networks,
    resolve: (d: NetworkStatement, params: Map<string, number>, st: string[]) => resolveNetwork(d, sink, data, neuronDefinition, networks, { params, stack: st }),
  };
  const sub = expandSubnetworks(decl, ctx, host, stack);
  inputs.push(...sub.inputs);
  ensembles.push(...sub.ensembles);
  const { connections: own, probes } = readLinks(decl, ctx);
  const connections = [...sub.connections, ...own];
  if (sink.errorCount === before) reportInstantLoops(connections, sink);
  if (!settings || sink.errorCount !== before) return undefined;
  // neurons from definitions step at the network's dt (their rate curves are simulated at it)
  for (const e of ensembles) if (e.neuron.kind === 'equations') e.neuron = { kind: 'equations', neuron: { ...e.neuron.neuron, dt: settings.dt } };
  return { name: decl.name.name, dt: settings.dt, runTime: settings.run, seed: settings.seed, inputs, ensembles, connections, probes, range: decl.range };
}

/** Inputs and ensembles, in one namespace; fills `ctx.objects` for the connections and probes. */
function readObjects(decl: NetworkStatement, ctx: NetCtx): { inputs: NefInput[]; ensembles: Ensemble[] } {
  const sink = ctx.sink;
  const inputs: NefInput[] = [];
  const ensembles: Ensemble[] = [];
  const firstAt = new Map<string, SourceRange>();
  for (const item of decl.items) {
    if (item.kind !== 'input' && item.kind !== 'ensemble' && item.kind !== 'subnetwork') continue;
    const name = item.name.name;
    if (name === '') continue;
    const prev = firstAt.get(name);
    if (prev) {
      sink.report('SNN2002', item.name.range, { what: item.kind === 'subnetwork' ? 'network instance' : item.kind, name }, undefined, [{ message: `\`${name}\` was first defined here`, range: prev }]);
      continue;
    }
    firstAt.set(name, item.name.range);
    ctx.declared.add(name);
    if (RESERVED.has(name)) {
      sink.report('SNN2002', item.name.range, { what: item.kind === 'subnetwork' ? 'network instance' : item.kind, name }, `\`${name}\` is built into expressions (${RESERVED_MEANING[name]}); choose another name`);
      continue;
    }
    if (item.kind === 'subnetwork') continue; // expanded by expandSubnetworks, after the objects
    if (item.kind === 'input') {
      const v = readInput(name, item.value, item.range, ctx);
      if (v) {
        inputs.push(v);
        ctx.objects.set(name, { kind: 'input', value: v });
      }
    } else {
      const v = readEnsemble(name, item.value, item.range, ctx);
      if (v) {
        ensembles.push(v);
        ctx.objects.set(name, { kind: 'ensemble', value: v });
      }
    }
  }
  return { inputs, ensembles };
}

/** Connections and probes (probe names must be unique). */
function readLinks(decl: NetworkStatement, ctx: NetCtx): { connections: Connection[]; probes: Probe[] } {
  const connections = readConnections(decl, ctx);
  const probes: Probe[] = [];
  const probeNames = new Map<string, SourceRange>();
  for (const item of decl.items) {
    if (item.kind === 'probe') {
      const p = readProbe(item, ctx);
      if (!p) continue;
      const at = item.name?.range ?? item.target.range;
      const prev = probeNames.get(p.name);
      if (prev) {
        ctx.sink.report('SNN2002', at, { what: 'probe', name: p.name }, 'name it: `probe NAME = ...`', [{ message: 'first probe with this name', range: prev }]);
        continue;
      }
      probeNames.set(p.name, at);
      probes.push(p);
    }
  }
  return { connections, probes };
}

/**
 * Connections in source order. Named ones (`connect c = a -> b`) share the namespace of
 * inputs and ensembles; a connection into `c.learning` is read after `c` itself, wherever it
 * is written. Unnamed connections get ids `conn_<i>`, i counting every `connect` in order.
 */
function readConnections(decl: NetworkStatement, ctx: NetCtx): Connection[] {
  const items = decl.items.filter((i): i is Extract<NetworkItem, { kind: 'connect' }> => i.kind === 'connect');
  const firstAt = new Map<string, SourceRange>();
  for (const item of items) {
    const name = item.name?.name;
    if (name === undefined || name === '') continue;
    const prev = firstAt.get(name);
    if (prev || ctx.declared.has(name) || RESERVED.has(name)) {
      const related = prev ? [{ message: `\`${name}\` was first defined here`, range: prev }] : undefined;
      ctx.sink.report('SNN2002', item.name!.range, { what: 'connection', name }, RESERVED.has(name) ? `\`${name}\` is built into expressions (${RESERVED_MEANING[name]}); choose another name` : undefined, related);
      continue;
    }
    firstAt.set(name, item.name!.range);
    ctx.connectionNames.add(name);
  }
  const read: (Connection | undefined)[] = new Array<Connection | undefined>(items.length);
  const intoRules = items.map((item) => targetsRule(item.post, ctx));
  for (const pass of [false, true])
    items.forEach((item, i) => {
      if (intoRules[i] !== pass) return;
      const c = readConnection(item, i, ctx);
      read[i] = c;
      if (c && item.name && ctx.connectionNames.has(item.name.name) && firstAt.get(item.name.name) === item.name.range) ctx.connections.set(c.id, c);
    });
  return read.filter((c): c is Connection => c !== undefined);
}

function readParams(decl: NetworkStatement, sink: Sink, overrides?: Map<string, number>): ConstEnv {
  const names = new Map<string, number>();
  const env: ConstEnv = { names, what: `parameter of network \`${decl.name.name}\`` };
  for (const p of decl.params) {
    if (p.name.name === '') continue;
    if (names.has(p.name.name)) {
      sink.report('SNN2005', p.name.range, { name: p.name.name });
      continue;
    }
    if (RESERVED.has(p.name.name)) {
      sink.report('SNN2002', p.name.range, { what: 'parameter', name: p.name.name }, `\`${p.name.name}\` is built into expressions (${RESERVED_MEANING[p.name.name]}); choose another name`);
      continue;
    }
    // Units are allowed and converted (`tau: 100ms` is 0.1): parameters are plain seconds or hertz.
    // An instance's arguments replace the defaults (they were read where the instance is written).
    const given = overrides?.get(p.name.name);
    const v = given ?? readNumber(p.value, p.name.name, { unit: 'any' }, { sink, env });
    if (v !== undefined) names.set(p.name.name, v);
  }
  return env;
}

/** `run` is required, except of a network used as an instance (whose settings are not used). */
function readSettings(decl: NetworkStatement, ctx: NetCtx, instance = false): { dt: number; run: number; seed: number | null } | undefined {
  const seen = new Map<string, Extract<NetworkItem, { kind: 'setting' }>>();
  for (const item of decl.items) {
    if (item.kind !== 'setting') continue;
    if (seen.has(item.setting)) ctx.sink.report('SNN2005', item.range, { name: item.setting });
    else seen.set(item.setting, item);
  }
  const dtItem = seen.get('dt');
  const dt = dtItem ? readNumber(dtItem.value, 'dt', numOf(NETWORK, 'dt'), ctx) : NEF_DEFAULTS.dt;
  const runItem = seen.get('run');
  let run: number | undefined;
  if (!runItem) {
    if (instance) run = dt;
    else ctx.sink.report('SNN2004', decl.name.range, { owner: `network \`${decl.name.name}\``, name: 'run' });
  } else run = readNumber(runItem.value, 'run', numOf(NETWORK, 'run'), ctx);
  const seedItem = seen.get('seed');
  const seed = seedItem ? readNumber(seedItem.value, 'seed', numOf(NETWORK, 'seed'), ctx) : null;
  if (dt === undefined || run === undefined || seed === undefined) return undefined;
  if (run < dt) {
    ctx.sink.report('SNN3002', runItem!.value.range, { name: 'run', constraint: `at least one step (dt = ${fmtNumber(dt)} s)`, value: `${fmtNumber(run)} s` });
    return undefined;
  }
  return { dt, run, seed };
}

