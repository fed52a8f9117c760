import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * The `.snn` tokens. Order matters to Chevrotain's lexer: the first pattern that matches
 * wins, so `->` comes before `-`, block comments before `/`, and keywords before
 * `Identifier` (each keyword has `longer_alt: Identifier`, so `runtime` is one identifier,
 * not `run` + `time`).
 *
 * Keywords that start statements (`input`, `seed`, `run`, ...) are also useful as field and
 * parameter names (`input: [1, 28, 28]` in a model header, `seed: 1` in an experiment), so
 * every keyword and `Identifier` share the category `Name`: rules that want "any word"
 * consume `Name`, rules that want a plain identifier consume `Identifier`.
 *
 * Fixed text (keywords, operators, punctuation) is a string pattern, not a RegExp: Chevrotain
 * reads a string's first character and line breaks directly, while it parses every RegExp
 * pattern (regexp-to-ast) to find them each time the lexer is built, at every `snnc` start.
 */

export const Name = createToken({ name: 'Name', pattern: Lexer.NA });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name] });

function keyword(word: string): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: word,
    longer_alt: Identifier,
    categories: [Name],
  });
}

export const Use = keyword('use');
export const Neuron = keyword('neuron');
export const Model = keyword('model');
export const Experiment = keyword('experiment');
export const Sweep = keyword('sweep');
export const Network = keyword('network');
export const From = keyword('from');
export const Encode = keyword('encode');
export const Decode = keyword('decode');
export const Input = keyword('input');
export const Ensemble = keyword('ensemble');
export const Connect = keyword('connect');
export const Probe = keyword('probe');
export const Run = keyword('run');
export const Dt = keyword('dt');
export const Seed = keyword('seed');
// Neuron definitions (`neuron NAME(...) { state v = 0  dv/dt = ...  spike when v >= 1 { v = 0 } }`).
export const State = keyword('state');
export const Spike = keyword('spike');
export const When = keyword('when');
export const Refractory = keyword('refractory');
export const Surrogate = keyword('surrogate');
export const Integrate = keyword('integrate');
export const Trainable = keyword('trainable');
// Reusable model parts (`block sew(c) { ... }`).
export const Block = keyword('block');

/** Every reserved word, for the editor's highlighter (imported, so the lists cannot drift). */
export const KEYWORD_TOKENS = [Use, Neuron, Model, Experiment, Sweep, Network, From, Encode, Decode, Input, Ensemble, Connect, Probe, Run, Dt, Seed, State, Spike, When, Refractory, Surrogate, Integrate, Trainable, Block];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n\r]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
/** An opening `/*` with no end: reported by the lexer wrapper, kept out of the parser. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, group: 'errors', line_breaks: true });

/** A number with an optional unit suffix written right after it: `5ms`, `200Hz`, `1e-3`. */
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[A-Za-z_]*/ });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\n\r]|\\.)*"/ });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n\r]|\\.)*/, group: 'errors' });

export const Arrow = createToken({ name: 'Arrow', pattern: '->' });
export const Plus = createToken({ name: 'Plus', pattern: '+' });
export const Minus = createToken({ name: 'Minus', pattern: '-' });
export const Star = createToken({ name: 'Star', pattern: '*' });
export const Slash = createToken({ name: 'Slash', pattern: '/' });
export const Percent = createToken({ name: 'Percent', pattern: '%' });
export const Caret = createToken({ name: 'Caret', pattern: '^' });
export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']' });
export const LCurly = createToken({ name: 'LCurly', pattern: '{' });
export const RCurly = createToken({ name: 'RCurly', pattern: '}' });
export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const Colon = createToken({ name: 'Colon', pattern: ':' });
export const Equals = createToken({ name: 'Equals', pattern: '=' });
// Comparisons and logic (NEF expressions): two-character operators before their prefixes.
export const LessEqual = createToken({ name: 'LessEqual', pattern: '<=' });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: '>=' });
export const EqEq = createToken({ name: 'EqEq', pattern: '==' });
export const NotEq = createToken({ name: 'NotEq', pattern: '!=' });
export const Less = createToken({ name: 'Less', pattern: '<' });
export const Greater = createToken({ name: 'Greater', pattern: '>' });
export const AndAnd = createToken({ name: 'AndAnd', pattern: '&&' });
export const OrOr = createToken({ name: 'OrOr', pattern: '||' });
export const Bang = createToken({ name: 'Bang', pattern: '!' });
export const Dot = createToken({ name: 'Dot', pattern: '.' });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  Arrow,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Caret,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Comma,
  Colon,
  LessEqual,
  GreaterEqual,
  EqEq,
  NotEq,
  Less,
  Greater,
  AndAnd,
  OrOr,
  Bang,
  Equals,
  Dot,
  ...KEYWORD_TOKENS,
  Identifier,
  Name,
];

/** The reserved words of `.snn`. */
export const KEYWORDS: readonly string[] = KEYWORD_TOKENS.map((t) => t.PATTERN as string);
