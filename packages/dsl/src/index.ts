export { compile, type CompileOptions, type CompileResult } from './compile.js';
export { parse, type ParseResult } from './parse.js';
export { tokenize, type SnnToken, type TokenClass } from './lexer.js';
export { KEYWORDS } from './tokens.js';
export type { LayerShapeInfo } from './check/models.js';
export type * from './ast.js';
export { format, type FormatResult } from './format.js';
export { VOCABULARY } from './vocabulary.js';
export * from './catalog/index.js';
