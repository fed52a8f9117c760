import { CstParser, EOF, type CstNode, type IOrAlt, type IParserErrorMessageProvider, type IToken, type ParserMethod, type Rule, type TokenType } from 'chevrotain';
import type { FileCstNode } from './cst.generated.js';
import * as T from './tokens.js';

/**
 * The `.snn` grammar as a Chevrotain CST parser. The grammar is line-insensitive: statements
 * and layer chains need no separators because none of them can continue with the token that
 * starts the next one. Expressions have the usual precedence, lowest first:
 * `||`, `&&`, comparisons `< <= > >= == !=` (not chained), `+ -`, `* / %`, unary `- + !`,
 * `^` (right-associative), postfix `f(...)`, `x[i]`, `a.b`.
 * The AST is built from the CST in `to-ast.ts`; this file only recognises text.
 */
const TOKEN_WORDS: Record<string, string> = {
  Identifier: 'a name',
  Name: 'a name',
  NumberLiteral: 'a number',
  StringLiteral: 'a string',
  EOF: 'the end of the file',
};

function describeType(t: TokenType): string {
  const word = TOKEN_WORDS[t.name];
  if (word) return word;
  // Keywords and punctuation are fixed text (string patterns); the parser expects no other token by pattern.
  return typeof t.PATTERN === 'string' ? `\`${t.PATTERN}\`` : t.name;
}

function describeToken(t: IToken): string {
  return t.tokenType === EOF || Number.isNaN(t.startOffset) ? 'the end of the file' : `\`${t.image}\``;
}

function oneOf(types: TokenType[]): string {
  // Every token that can start an expression: say "a value" rather than listing eight.
  if (types.some((t) => t === T.NumberLiteral) && types.some((t) => t === T.Identifier)) return 'a value';
  const words = [...new Set(types.map(describeType))];
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Short messages naming what was expected and what was found, instead of Chevrotain's paths. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) =>
    expected === EOF
      ? `unexpected ${describeToken(actual)}: expected a statement (\`use\`, \`neuron\`, \`model\`, \`experiment\`, \`sweep\` or \`network\`)`
      : `expected ${describeType(expected)} but found ${describeToken(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected ${describeToken(firstRedundant)}: expected a statement (\`use\`, \`neuron\`, \`model\`, \`experiment\`, \`sweep\` or \`network\`)`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual }) => {
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]).filter((t): t is TokenType => t !== undefined));
    return `expected ${oneOf(firsts)} but found ${actual[0] ? describeToken(actual[0]) : 'the end of the file'}`;
  },
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) => {
    const firsts = expectedIterationPaths.map((path) => path[0]).filter((t): t is TokenType => t !== undefined);
    return `expected ${oneOf(firsts)} but found ${actual[0] ? describeToken(actual[0]) : 'the end of the file'}`;
  },
};

class SnnParser extends CstParser {
  /**
   * `OR` alternatives built once and reused: a fresh array of closures per rule call is most of
   * the parser's garbage on large files (Chevrotain's documented performance advice).
   */
  private readonly alts: Record<string, IOrAlt<unknown>[]> = {};

  /**
   * `validate` runs Chevrotain's grammar checks (ambiguities, left recursion) in
   * `performSelfAnalysis`. The shared instance skips them to start faster; a test builds a
   * validating instance through {@link checkGrammar}, so a grammar mistake still fails CI.
   */
  constructor(validate = false) {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'full', errorMessageProvider: messages, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /**
   * `open item, item, ... close`, possibly empty, with an optional trailing comma: the one
   * comma-separated list of the grammar (parameters, arguments, lists, maps). A rule calls it at
   * most once: Chevrotain numbers the OPTION/MANY/CONSUME calls of a rule, so two calls in one rule
   * would share their numbers.
   */
  private commaList(open: TokenType, item: ParserMethod<[], CstNode>, close: TokenType): void {
    this.CONSUME(open);
    this.OPTION(() => {
      this.SUBRULE(item);
      this.MANY({
        // A comma followed by the closing bracket is a trailing comma, not a separator.
        GATE: () => this.LA(2).tokenType !== close,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE1(item);
        },
      });
      this.OPTION1(() => this.CONSUME1(T.Comma));
    });
    this.CONSUME(close);
  }

  public file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  private statement = this.RULE('statement', () => {
    this.OR((this.alts['statement'] ??= [
      { ALT: () => this.SUBRULE(this.useStatement) },
      { ALT: () => this.SUBRULE(this.neuronStatement) },
      { ALT: () => this.SUBRULE(this.modelStatement) },
      { ALT: () => this.SUBRULE(this.blockStatement) },
      { ALT: () => this.SUBRULE(this.experimentStatement) },
      { ALT: () => this.SUBRULE(this.sweepStatement) },
      { ALT: () => this.SUBRULE(this.networkStatement) },
    ]));
  });

  private useStatement = this.RULE('useStatement', () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.StringLiteral);
  });

  /** `neuron lif = LIF(tau: 2)` or a definition `neuron LIF(tau: 2.0) { ... }`. */
  private neuronStatement = this.RULE('neuronStatement', () => {
    this.CONSUME(T.Neuron);
    this.CONSUME(T.Identifier);
    this.OR((this.alts['neuronStatement'] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.SUBRULE(this.paramList));
          this.CONSUME(T.LCurly);
          this.MANY(() => this.SUBRULE(this.neuronItem));
          this.CONSUME(T.RCurly);
        },
      },
    ]));
  });

  private neuronItem = this.RULE('neuronItem', () => {
    this.OR((this.alts['neuronItem'] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Input);
          this.CONSUME(T.Identifier);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.State);
          this.CONSUME1(T.Identifier);
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Spike);
          this.CONSUME(T.When);
          this.SUBRULE1(this.expression);
          this.OPTION(() => {
            this.CONSUME(T.LCurly);
            this.MANY(() => this.SUBRULE(this.neuronAssign));
            this.CONSUME(T.RCurly);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Refractory);
          this.SUBRULE2(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Surrogate);
          this.SUBRULE3(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Integrate);
          this.CONSUME2(T.Identifier);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Trainable);
          this.CONSUME4(T.Identifier);
          this.CONSUME2(T.Equals);
          this.SUBRULE5(this.expression);
        },
      },
      {
        // `dv/dt = rhs`: `dv` is one identifier, `dt` the keyword
        ALT: () => {
          this.CONSUME3(T.Identifier);
          this.CONSUME(T.Slash);
          this.CONSUME(T.Dt);
          this.CONSUME1(T.Equals);
          this.SUBRULE4(this.expression);
        },
      },
      { ALT: () => this.SUBRULE1(this.neuronAssign) },
    ]));
  });

  /** `v = c`, `u += d`, `v -= 1`. */
  private neuronAssign = this.RULE('neuronAssign', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.OR((this.alts['neuronAssign'] ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]));
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  private modelStatement = this.RULE('modelStatement', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.modelItem));
    this.CONSUME(T.RCurly);
  });

  /** `(input: [1, 28, 28], steps: 4, conv: 128)`: named parameters with default values. */
  private paramList = this.RULE('paramList', () => {
    this.commaList(T.LParen, this.namedValue, T.RParen);
  });

  private namedValue = this.RULE('namedValue', () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  private modelItem = this.RULE('modelItem', () => {
    this.OR((this.alts['modelItem'] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Encode);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Decode);
          this.SUBRULE1(this.expression);
        },
      },
      { ALT: () => this.SUBRULE(this.chain) },
    ]));
  });

  /** `block sew(c, stride: 1) { ... }`: a reusable part of a model, applied to `x`. */
  private blockStatement = this.RULE('blockStatement', () => {
    this.CONSUME(T.Block);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.blockParamList));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.modelItem));
    this.CONSUME(T.RCurly);
  });

  /** `(c, stride: 1)`: parameters, each with an optional default. */
  private blockParamList = this.RULE('blockParamList', () => {
    this.commaList(T.LParen, this.blockParam, T.RParen);
  });

  private blockParam = this.RULE('blockParam', () => {
    this.CONSUME(T.Name);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.expression);
    });
  });

  /** `conv2d(32, kernel: 3) -> batchnorm -> lif`, optionally named: `h = x -> dense(10)`. */
  private chain = this.RULE('chain', () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === T.Equals,
      DEF: () => {
        this.CONSUME(T.Identifier);
        this.CONSUME(T.Equals);
      },
    });
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE1(this.expression);
    });
  });

  private experimentStatement = this.RULE('experimentStatement', () => {
    this.CONSUME(T.Experiment);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.From);
      this.CONSUME1(T.Identifier);
    });
    this.SUBRULE(this.fieldBlock);
  });

  private sweepStatement = this.RULE('sweepStatement', () => {
    this.CONSUME(T.Sweep);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.From);
    this.CONSUME1(T.Identifier);
    this.SUBRULE(this.fieldBlock);
  });

  /** `{ batch: 64  optimizer.lr: 0.01, ... }`: commas between fields are optional. */
  private fieldBlock = this.RULE('fieldBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.field);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  private field = this.RULE('field', () => {
    this.CONSUME(T.Name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME1(T.Name);
    });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  private networkStatement = this.RULE('networkStatement', () => {
    this.CONSUME(T.Network);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.networkItem));
    this.CONSUME(T.RCurly);
  });

  private networkItem = this.RULE('networkItem', () => {
    this.OR((this.alts['networkItem'] ??= [
      { ALT: () => this.SUBRULE(this.settingItem) },
      { ALT: () => this.SUBRULE(this.inputItem) },
      { ALT: () => this.SUBRULE(this.ensembleItem) },
      { ALT: () => this.SUBRULE(this.subnetworkItem) },
      { ALT: () => this.SUBRULE(this.connectItem) },
      { ALT: () => this.SUBRULE(this.probeItem) },
    ]));
  });

  /** `dt 1ms`, `seed 0`, `run 5s`. */
  private settingItem = this.RULE('settingItem', () => {
    this.OR((this.alts['settingItem'] ??= [{ ALT: () => this.CONSUME(T.Dt) }, { ALT: () => this.CONSUME(T.Seed) }, { ALT: () => this.CONSUME(T.Run) }]));
    this.SUBRULE(this.expression);
  });

  private inputItem = this.RULE('inputItem', () => {
    this.CONSUME(T.Input);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  /** `network integ = Integrator(tau: 100ms)`: an instance of another network, its objects as `integ.NAME`. */
  private subnetworkItem = this.RULE('subnetworkItem', () => {
    this.CONSUME(T.Network);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  private ensembleItem = this.RULE('ensembleItem', () => {
    this.CONSUME(T.Ensemble);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  private connectItem = this.RULE('connectItem', () => {
    this.CONSUME(T.Connect);
    // `connect c = a -> b`: a name for probing the connection's weights and feeding its rule
    this.OPTION2(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.endpoint);
    this.CONSUME(T.Arrow);
    this.SUBRULE1(this.endpoint);
    this.OPTION(() => this.SUBRULE(this.argList));
  });

  private probeItem = this.RULE('probeItem', () => {
    this.CONSUME(T.Probe);
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.endpoint);
    this.OPTION1(() => this.SUBRULE(this.argList));
  });

  /** `ab`, `ab[0]`, `ab[0:2]`, `ab[0, 2]`, `c.neurons`, `c.spikes`. */
  private endpoint = this.RULE('endpoint', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.Name);
          },
        },
        { ALT: () => this.SUBRULE(this.slice) },
      ]);
    });
  });

  private slice = this.RULE('slice', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => this.SUBRULE(this.expression));
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.OPTION1(() => this.SUBRULE1(this.expression));
        },
      },
      {
        ALT: () =>
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.expression);
          }),
      },
    ]);
    this.CONSUME(T.RBracket);
  });

  /** `(1, kernel: 3)`: positional arguments, then named ones (order is checked later). */
  private argList = this.RULE('argList', () => {
    this.commaList(T.LParen, this.argument, T.RParen);
  });

  private argument = this.RULE('argument', () => {
    this.OPTION(() => {
      this.CONSUME(T.Name);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expression);
  });

  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.conjunction);
    this.MANY(() => {
      this.CONSUME(T.OrOr);
      this.SUBRULE1(this.conjunction);
    });
  });

  private conjunction = this.RULE('conjunction', () => {
    this.SUBRULE(this.comparison);
    this.MANY(() => {
      this.CONSUME(T.AndAnd);
      this.SUBRULE1(this.comparison);
    });
  });

  private comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive);
    this.OPTION(() => {
      this.OR(
        (this.alts['comparison'] ??= [
          { ALT: () => this.CONSUME(T.LessEqual) },
          { ALT: () => this.CONSUME(T.GreaterEqual) },
          { ALT: () => this.CONSUME(T.EqEq) },
          { ALT: () => this.CONSUME(T.NotEq) },
          { ALT: () => this.CONSUME(T.Less) },
          { ALT: () => this.CONSUME(T.Greater) },
        ]),
      );
      this.SUBRULE1(this.additive);
    });
  });

  private additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.OR((this.alts['additive'] ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]));
      this.SUBRULE1(this.multiplicative);
    });
  });

  private multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR((this.alts['multiplicative'] ??= [{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }, { ALT: () => this.CONSUME(T.Percent) }]));
      this.SUBRULE1(this.unary);
    });
  });

  private unary = this.RULE('unary', () => {
    this.OR((this.alts['unary'] ??= [
      {
        ALT: () => {
          this.OR1((this.alts['unary_1'] ??= [{ ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Bang) }]));
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]));
  });

  /** `a ^ -b ^ c` = `a ^ (-(b ^ c))`: right-associative, binding tighter than unary minus. */
  private power = this.RULE('power', () => {
    this.SUBRULE(this.postfix);
    this.OPTION(() => {
      this.CONSUME(T.Caret);
      this.SUBRULE(this.unary);
    });
  });

  private postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR((this.alts['postfix'] ??= [
        { ALT: () => this.SUBRULE(this.argList) },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RBracket);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.Name);
          },
        },
      ]));
    });
  });

  private primary = this.RULE('primary', () => {
    this.OR((this.alts['primary'] ??= [
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.map) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
    ]));
  });

  private list = this.RULE('list', () => {
    this.commaList(T.LBracket, this.expression, T.RBracket);
  });

  /** `{0: 0, 0.2: 1}`: keys are expressions (times for `piecewise`). */
  private map = this.RULE('map', () => {
    this.commaList(T.LCurly, this.mapEntry, T.RCurly);
  });

  private mapEntry = this.RULE('mapEntry', () => {
    this.SUBRULE(this.expression);
    this.CONSUME(T.Colon);
    this.SUBRULE1(this.expression);
  });
}

/** One shared instance: `performSelfAnalysis` is far too slow to run per call. */
const parser = new SnnParser();

/** Builds a parser with Chevrotain's grammar validations on; throws if the grammar is faulty. */
export function checkGrammar(): void {
  new SnnParser(true);
}

/** The grammar's rules, for generating the CST types (`cst-declarations.ts`). */
export function grammarProductions(): Record<string, Rule> {
  return parser.getGAstProductions();
}

export interface ParseErrorInfo {
  message: string;
  /** Chevrotain's exception name; `NotAllInputParsedException` means parsing stopped early. */
  name: string;
  token: IToken;
  /** The last token consumed before the error, to anchor errors at end of input. */
  previous: IToken | undefined;
}

export interface CstResult {
  cst: FileCstNode;
  errors: ParseErrorInfo[];
}

export function parseTokens(tokens: IToken[]): CstResult {
  parser.input = tokens;
  // The one cast from Chevrotain's untyped CST: cst.generated.ts is generated from this grammar
  // (a test keeps it in step), so the `file` rule returns a FileCstNode.
  const cst = parser.file() as FileCstNode;
  const errors = parser.errors.map((e) => ({ message: e.message, name: e.name, token: e.token, previous: (e as { previousToken?: IToken }).previousToken }));
  return { cst, errors };
}

export { EOF };
export type { TokenType };
