import type { BinaryOp, SourceRange, UnaryOp } from '@snnc/ir';

/**
 * The typed `.snn` syntax tree. Every node carries its source range. Values are one small
 * expression language (`AstExpr`) used everywhere: layer calls, experiment fields, NEF
 * functions; what a value means is decided by the checks, not the parser.
 *
 * A node that syntax-error recovery had to patch is marked `broken: true`; checks skip it
 * (its name is still defined) so one typo does not cascade into a page of errors.
 */

export interface Ident {
  kind: 'ident';
  name: string;
  range: SourceRange;
}

export type AstExpr =
  | { kind: 'number'; value: number; /** Unit suffix as written (`ms`), if any. */ unit?: string; text: string; range: SourceRange }
  | { kind: 'string'; value: string; range: SourceRange }
  | Ident
  | { kind: 'list'; items: AstExpr[]; range: SourceRange }
  | { kind: 'map'; entries: MapEntry[]; range: SourceRange }
  | CallExpr
  | { kind: 'unary'; op: UnaryOp; arg: AstExpr; range: SourceRange }
  | { kind: 'binary'; op: BinaryOp; left: AstExpr; right: AstExpr; range: SourceRange }
  | { kind: 'index'; target: AstExpr; index: AstExpr; range: SourceRange }
  | { kind: 'member'; target: AstExpr; name: Ident; range: SourceRange }
  | { kind: 'paren'; inner: AstExpr; range: SourceRange };

export type AstExprKind = AstExpr['kind'];

export interface CallExpr {
  kind: 'call';
  callee: Ident;
  args: Arg[];
  range: SourceRange;
}

export interface MapEntry {
  key: AstExpr;
  value: AstExpr;
  range: SourceRange;
}

/** A call argument: positional (`32`) or named (`kernel: 3`). */
export interface Arg {
  name?: Ident;
  value: AstExpr;
  range: SourceRange;
}

/** `name: value` in a model or network header. */
export interface Param {
  name: Ident;
  value: AstExpr;
  range: SourceRange;
}

export interface UseStatement {
  kind: 'use';
  path: string;
  pathRange: SourceRange;
  range: SourceRange;
  broken?: boolean;
}

export interface NeuronStatement {
  kind: 'neuron';
  name: Ident;
  /** `neuron lif = LIF(tau: 2)`: an instance of a definition; absent when `definition` is set. */
  value?: AstExpr;
  /** `neuron LIF(tau: 2.0) { ... }`: a neuron model written as equations. */
  definition?: NeuronDefinition;
  range: SourceRange;
  broken?: boolean;
}

/** `v = c`, `u += d`, `v -= 1` (in a spike's reset block or a discrete update). */
export interface NeuronAssign {
  target: Ident;
  op: '=' | '+=' | '-=';
  value: AstExpr;
  range: SourceRange;
}

export type NeuronItem =
  | { kind: 'input'; name: Ident; range: SourceRange }
  | { kind: 'state'; name: Ident; init: AstExpr; range: SourceRange }
  /** `dv/dt = rhs` */
  | { kind: 'ode'; target: Ident; rhs: AstExpr; range: SourceRange }
  /** `v = rhs`, `v += rhs`: a discrete per-step update. */
  | ({ kind: 'update' } & Omit<NeuronAssign, 'range'> & { range: SourceRange })
  /** `spike when v >= threshold { v = c  u += d }` */
  | { kind: 'spike'; condition: AstExpr; reset: NeuronAssign[]; range: SourceRange }
  | { kind: 'refractory'; value: AstExpr; range: SourceRange }
  | { kind: 'surrogate'; value: AstExpr; range: SourceRange }
  | { kind: 'integrate'; scheme: Ident; range: SourceRange }
  /** `trainable w = -log(tau - 1)`: a scalar learned per layer in training, starting from its value. */
  | { kind: 'trainable'; name: Ident; init: AstExpr; range: SourceRange };

export type NeuronItemKind = NeuronItem['kind'];

/** `neuron Izhikevich(a: 0.02, b: 0.2) { ... }`: parameters with defaults, then the body. */
export interface NeuronDefinition {
  params: Param[];
  items: NeuronItem[];
  range: SourceRange;
}

export type ModelItem =
  | { kind: 'encode'; value: AstExpr; range: SourceRange }
  | { kind: 'decode'; value: AstExpr; range: SourceRange }
  /** `a -> b -> c`, or `h = a -> b` naming its result for later chains and merges. */
  | { kind: 'chain'; name?: Ident; layers: AstExpr[]; range: SourceRange };

export interface ModelStatement {
  kind: 'model';
  name: Ident;
  params: Param[];
  /** Whether the header had parentheses (kept by the formatter). */
  hasParamList: boolean;
  items: ModelItem[];
  range: SourceRange;
  broken?: boolean;
}

/** A block parameter: `c` (required) or `stride: 1` (with a default). */
export interface BlockParam {
  name: Ident;
  value?: AstExpr;
  range: SourceRange;
}

/** `block sew(c) { ... }`: model items applied to `x`, the block's input, wherever it is used. */
export interface BlockStatement {
  kind: 'block';
  name: Ident;
  params: BlockParam[];
  hasParamList: boolean;
  items: ModelItem[];
  range: SourceRange;
  broken?: boolean;
}

/** `optimizer.lr: 0.01`: a dotted path and its value. */
export interface Field {
  path: Ident[];
  value: AstExpr;
  range: SourceRange;
}

export interface ExperimentStatement {
  kind: 'experiment';
  name: Ident;
  base?: Ident;
  fields: Field[];
  range: SourceRange;
  broken?: boolean;
}

export interface SweepStatement {
  kind: 'sweep';
  name: Ident;
  base: Ident;
  axes: Field[];
  range: SourceRange;
  broken?: boolean;
}

export type SliceSpec =
  | { kind: 'index'; index: AstExpr; range: SourceRange }
  | { kind: 'range'; start?: AstExpr; end?: AstExpr; range: SourceRange }
  | { kind: 'list'; items: AstExpr[]; range: SourceRange };

export type EndpointPart = { kind: 'attr'; name: Ident; range: SourceRange } | { kind: 'slice'; spec: SliceSpec; range: SourceRange };

export interface Endpoint {
  name: Ident;
  parts: EndpointPart[];
  range: SourceRange;
}

export type NetworkItem =
  | { kind: 'setting'; setting: 'dt' | 'seed' | 'run'; value: AstExpr; range: SourceRange }
  | { kind: 'input'; name: Ident; value: AstExpr; range: SourceRange }
  | { kind: 'ensemble'; name: Ident; value: AstExpr; range: SourceRange }
  /** `network NAME = OTHER(args)`: an instance of network OTHER, its objects named `NAME.object`. */
  | { kind: 'subnetwork'; name: Ident; value: AstExpr; range: SourceRange }
  | { kind: 'connect'; name?: Ident; pre: Endpoint; post: Endpoint; args: Arg[] | null; range: SourceRange }
  | { kind: 'probe'; name?: Ident; target: Endpoint; args: Arg[] | null; range: SourceRange };

export type NetworkItemKind = NetworkItem['kind'];

export interface NetworkStatement {
  kind: 'network';
  name: Ident;
  params: Param[];
  hasParamList: boolean;
  items: NetworkItem[];
  range: SourceRange;
  broken?: boolean;
}

export type Statement = UseStatement | NeuronStatement | ModelStatement | BlockStatement | ExperimentStatement | SweepStatement | NetworkStatement;
export type StatementKind = Statement['kind'];

export interface Comment {
  text: string;
  block: boolean;
  range: SourceRange;
}

export interface SnnFile {
  kind: 'file';
  file: string;
  statements: Statement[];
  comments: Comment[];
  range: SourceRange;
}
