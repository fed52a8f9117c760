import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cstDeclarations } from './cst-declarations.js';

describe('cst.generated.ts (the typed CST that to-ast.ts reads)', () => {
  const text = cstDeclarations();

  it('is up to date (run `npm run cst:types -w @snnc/dsl` after changing the grammar)', () => {
    expect(readFileSync(new URL('./cst.generated.ts', import.meta.url), 'utf8')).toBe(text);
  });

  it('has a node type for every rule, named by the rule', () => {
    for (const rule of ['file', 'statement', 'neuronItem', 'paramList', 'argList', 'expression', 'postfix', 'map']) {
      const type = `${rule[0]!.toUpperCase()}${rule.slice(1)}CstNode`;
      expect(text).toContain(`export interface ${type} extends CstNode {\n  name: "${rule}";`);
    }
  });

  it('declares every child optional: recovery can return a rule without the children its grammar promises', () => {
    expect(text).toContain('  statement?: StatementCstNode[];');
    expect(text).toContain('  StringLiteral?: IToken[];');
    expect(text).not.toMatch(/^ {2}\w+: .*\[\];$/m);
  });
});
