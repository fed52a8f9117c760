import type { Diagnostic } from '@snnc/ir';
import type { Analysis } from './analysis.js';

/** Messages to the language worker. */
export type LangRequest =
  | { kind: 'analyze'; version: number; file: string; text: string }
  | { kind: 'format'; id: number; file: string; text: string };

/** Messages from the language worker. */
export type LangResponse =
  | { kind: 'analysis'; analysis: Analysis }
  | { kind: 'formatted'; id: number; text?: string; diagnostics: Diagnostic[] }
  /** The compiler itself failed (a bug, not a user mistake): shown in the status bar. */
  | { kind: 'crash'; version: number; message: string };
