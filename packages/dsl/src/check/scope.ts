import { didYouMean, type SourceRange } from '@snnc/ir';
import type { BlockStatement, ExperimentStatement, Ident, ModelStatement, NetworkStatement, NeuronStatement, SnnFile, SweepStatement } from '../ast.js';
import type { Sink } from './sink.js';

export type Definition = NeuronStatement | ModelStatement | BlockStatement | ExperimentStatement | SweepStatement | NetworkStatement;
export type DefinitionKind = Definition['kind'];

type DefOf<K extends DefinitionKind> = Extract<Definition, { kind: K }>;

/**
 * Top-level names of every loaded file (imports first, then the compiled file) in one
 * namespace, so `model: lif` can say that `lif` is a neuron rather than just "unknown".
 */
export class Scope {
  private readonly defs = new Map<string, Definition>();

  constructor(files: readonly SnnFile[], sink: Sink) {
    for (const f of files) {
      for (const s of f.statements) {
        if (s.kind === 'use' || s.name.name === '') continue;
        const prev = this.defs.get(s.name.name);
        if (prev) {
          sink.report('SNN2002', s.name.range, { what: s.kind, name: s.name.name }, undefined, [
            { message: `\`${s.name.name}\` was first defined here (a ${prev.kind})`, range: prev.name.range },
          ]);
          continue;
        }
        this.defs.set(s.name.name, s);
      }
    }
  }

  get<K extends DefinitionKind>(name: string, kind: K): DefOf<K> | undefined {
    const d = this.defs.get(name);
    return d && d.kind === kind ? (d as DefOf<K>) : undefined;
  }

  /** Looks a name up as one kind; reports it as unknown (with a suggestion) when it is not one. */
  require<K extends DefinitionKind>(id: Ident, kind: K, sink: Sink, what: string = kind): DefOf<K> | undefined {
    const d = this.get(id.name, kind);
    if (d) return d;
    if (id.name === '') return undefined;
    sink.report('SNN2001', id.range, { what, name: id.name }, this.hint(id.name, [kind]));
    return undefined;
  }

  /** "did you mean" among names of these kinds, or what the name is when it exists as another kind. */
  hint(name: string, kinds: readonly DefinitionKind[], extra: readonly string[] = []): string | undefined {
    const other = this.defs.get(name);
    if (other && !kinds.includes(other.kind)) return `\`${name}\` is ${article(other.kind)} ${other.kind}, not ${kinds.map((k) => `${article(k)} ${k}`).join(' or ')}`;
    return didYouMean(name, [...this.names(kinds), ...extra]);
  }

  names(kinds: readonly DefinitionKind[]): string[] {
    return [...this.defs.values()].filter((d) => kinds.includes(d.kind)).map((d) => d.name.name);
  }

  rangeOf(name: string): SourceRange | undefined {
    return this.defs.get(name)?.name.range;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
