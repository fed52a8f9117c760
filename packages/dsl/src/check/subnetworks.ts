import { didYouMean, type Connection, type Ensemble, type NefEndpoint, type NefInput, type Network } from '@snnc/ir';
import type { NetworkItem, NetworkStatement } from '../ast.js';
import { asCall } from './args.js';
import type { NetCtx } from './nef-context.js';
import { readNumber } from './read.js';

/**
 * Instances of other networks inside a network (`network integ = Integrator(tau: 100ms)`):
 * the instance's inputs, ensembles and connections are copied in with their names prefixed
 * (`integ.ensemble`, `integ.input`), so the IR stays one flat network. Endpoints name them as
 * `integ.ensemble` (and `integ.ensemble.neurons`, `integ.ensemble[0]`); the instance's own
 * `run`, `dt`, `seed` and probes are not used. Arguments override the other network's
 * parameters (numbers, with units); an instance of an instance nests the prefixes.
 */
export interface SubnetworkHost {
  /** A network declared in the file or its imports, by name. */
  network: (name: string) => NetworkStatement | undefined;
  /** Resolves a network with these parameter values (undefined after reporting). */
  resolve: (decl: NetworkStatement, params: Map<string, number>, stack: string[]) => Network | undefined;
}

export interface Expanded {
  inputs: NefInput[];
  ensembles: Ensemble[];
  connections: Connection[];
}

/** Expands every `network NAME = OTHER(...)` item of `decl`; registers the copied objects in ctx. */
export function expandSubnetworks(decl: NetworkStatement, ctx: NetCtx, host: SubnetworkHost | undefined, stack: string[]): Expanded {
  const out: Expanded = { inputs: [], ensembles: [], connections: [] };
  for (const item of decl.items) {
    if (item.kind !== 'subnetwork') continue;
    const name = item.name.name;
    if (name === '') continue;
    const sub = instantiate(item, ctx, host, stack);
    if (!sub) continue;
    ctx.instances.add(name);
    const rename = (n: string): string => `${name}.${n}`;
    for (const inp of sub.inputs) {
      const v = { ...inp, name: rename(inp.name) };
      out.inputs.push(v);
      ctx.objects.set(v.name, { kind: 'input', value: v });
      ctx.declared.add(v.name);
    }
    for (const ens of sub.ensembles) {
      const v = { ...ens, name: rename(ens.name) };
      out.ensembles.push(v);
      ctx.objects.set(v.name, { kind: 'ensemble', value: v });
      ctx.declared.add(v.name);
    }
    const ep = (e: NefEndpoint): NefEndpoint => ({ ...e, name: rename(e.name) });
    for (const c of sub.connections) out.connections.push({ ...c, id: rename(c.id), pre: ep(c.pre), post: ep(c.post) });
  }
  return out;
}

function instantiate(item: Extract<NetworkItem, { kind: 'subnetwork' }>, ctx: NetCtx, host: SubnetworkHost | undefined, stack: string[]): Network | undefined {
  const call = asCall(item.value);
  if (!call) {
    ctx.sink.report('SNN5307', item.value.range, { message: 'an instance names a network, with arguments if any: `network integ = Integrator(tau: 100ms)`' });
    return undefined;
  }
  const target = call.callee.name;
  const decl = host?.network(target);
  if (!decl || !host) {
    ctx.sink.report('SNN2001', call.callee.range, { what: 'network', name: target });
    return undefined;
  }
  if (stack.includes(target)) {
    ctx.sink.report('SNN5307', call.callee.range, { message: `network \`${target}\` would contain itself (${[...stack, target].join(' -> ')})` });
    return undefined;
  }
  const declared = new Set(decl.params.map((p) => p.name.name));
  const params = new Map<string, number>();
  for (const a of call.args) {
    if (!a.name) {
      ctx.sink.report('SNN5307', a.range, { message: `give network arguments by name: \`${target}(${[...declared][0] ?? 'name'}: ...)\`` });
      continue;
    }
    const pn = a.name.name;
    if (!declared.has(pn)) {
      ctx.sink.report('SNN2003', a.name.range, { owner: `network \`${target}\``, name: pn }, didYouMean(pn, [...declared]));
      continue;
    }
    if (params.has(pn)) {
      ctx.sink.report('SNN2005', a.name.range, { name: pn });
      continue;
    }
    const v = readNumber(a.value, pn, { unit: 'any' }, ctx);
    if (v !== undefined) params.set(pn, v);
  }
  return host.resolve(decl, params, stack);
}
