import type { Diagnostic } from '@snnc/ir';
import { assertNever } from '@snnc/ir';
import type { Analysis } from '../lang/analysis.js';
import { complete, definition, hover, type CompletionKind } from '../lang/assist.js';
import type { LanguageClient } from '../lang/client.js';
import { monaco } from './setup.js';
import { tokenizeLine } from './tokens.js';

export const LANGUAGE_ID = 'snn';
/** Colours for the scopes `monaco/tokens.ts` assigns. */
export const THEME = 'snn-light';
const MARKER_OWNER = 'snnc';

class LineState implements monaco.languages.IState {
  constructor(readonly inComment: boolean) {}
  clone(): LineState {
    return new LineState(this.inComment);
  }
  equals(other: monaco.languages.IState): boolean {
    return other instanceof LineState && other.inComment === this.inComment;
  }
}

/**
 * Registers the `.snn` language: highlighting from the compiler's lexer, and completion,
 * hover, go-to-definition and formatting answered from the language worker's latest analysis.
 */
export function registerSnnLanguage(client: LanguageClient): void {
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.snn'], aliases: ['snn', 'SNN'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    comments: { lineComment: '//', blockComment: ['/*', '*/'] },
    brackets: [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '(', close: ')' },
      { open: '"', close: '"', notIn: ['string'] },
    ],
    wordPattern: /[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?[A-Za-z]*/,
  });
  monaco.editor.defineTheme(THEME, {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'keyword', foreground: '1d4ed8', fontStyle: 'bold' },
      { token: 'predefined', foreground: '9a3412' },
      { token: 'number', foreground: '047857' },
      { token: 'string', foreground: 'a21caf' },
      { token: 'comment', foreground: '6b7280', fontStyle: 'italic' },
      { token: 'operator', foreground: '374151' },
      { token: 'invalid', foreground: 'dc2626', fontStyle: 'underline' },
    ],
    colors: {},
  });
  monaco.languages.setTokensProvider(LANGUAGE_ID, {
    getInitialState: () => new LineState(false),
    tokenize(line, state) {
      const r = tokenizeLine(line, (state as LineState).inComment);
      return { tokens: r.tokens.map((t) => ({ startIndex: t.start, scopes: t.scope })), endState: new LineState(r.inComment) };
    },
  });

  const analysisFor = (model: monaco.editor.ITextModel): Analysis | undefined => {
    const a = client.last;
    return a && a.file === fileOf(model) ? a : undefined;
  };

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ['(', ',', ' '],
    provideCompletionItems(model, position) {
      const offset = model.getOffsetAt(position);
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const items = complete(model.getValue(), offset, analysisFor(model));
      return {
        suggestions: items.map((c, i) => ({
          label: c.label,
          kind: completionKind(c.kind),
          detail: c.detail,
          documentation: { value: c.doc },
          insertText: c.insertText,
          insertTextRules: c.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : monaco.languages.CompletionItemInsertTextRule.None,
          // Keep the assist's order: parameters of the call first, then catalogue, names, keywords.
          sortText: String(i).padStart(4, '0'),
          range,
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    provideHover(model, position) {
      const h = hover(model.getValue(), model.getOffsetAt(position), analysisFor(model));
      if (!h) return null;
      const s = model.getPositionAt(h.start);
      const e = model.getPositionAt(h.end);
      return { range: new monaco.Range(s.lineNumber, s.column, e.lineNumber, e.column), contents: h.contents.map((value) => ({ value })) };
    },
  });

  monaco.languages.registerDefinitionProvider(LANGUAGE_ID, {
    provideDefinition(model, position) {
      const r = definition(model.getValue(), model.getOffsetAt(position), analysisFor(model));
      if (!r || r.file !== fileOf(model)) return null;
      return { uri: model.uri, range: new monaco.Range(r.line, r.column, r.endLine, r.endColumn) };
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
    async provideDocumentFormattingEdits(model) {
      const r = await client.format(fileOf(model), model.getValue());
      if (r.text === undefined || r.text === model.getValue()) return [];
      return [{ range: model.getFullModelRange(), text: r.text }];
    },
  });
}

/** The file name the compiler sees for a model: its URI path without the leading slash. */
export function fileOf(model: monaco.editor.ITextModel): string {
  return model.uri.path.replace(/^\//, '');
}

/** Shows the compiler's diagnostics for this file as markers (code, hint and notes included). */
export function setDiagnostics(model: monaco.editor.ITextModel, diagnostics: readonly Diagnostic[]): void {
  const file = fileOf(model);
  const markers = diagnostics
    .filter((d) => d.range.file === file)
    .map(
      (d): monaco.editor.IMarkerData => ({
        severity: markerSeverity(d.severity),
        code: d.code,
        source: 'snnc',
        message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
        startLineNumber: d.range.line,
        startColumn: d.range.column,
        endLineNumber: d.range.endLine,
        // An empty range (an error at end of input) would draw nothing: widen it by one column.
        endColumn: d.range.endLine === d.range.line && d.range.endColumn <= d.range.column ? d.range.column + 1 : d.range.endColumn,
        relatedInformation: (d.related ?? [])
          .filter((r) => r.range.file === file)
          .map((r) => ({ resource: model.uri, message: r.message, startLineNumber: r.range.line, startColumn: r.range.column, endLineNumber: r.range.endLine, endColumn: r.range.endColumn })),
      }),
    );
  monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
}

function markerSeverity(s: Diagnostic['severity']): monaco.MarkerSeverity {
  switch (s) {
    case 'error':
      return monaco.MarkerSeverity.Error;
    case 'warning':
      return monaco.MarkerSeverity.Warning;
    case 'info':
      return monaco.MarkerSeverity.Info;
    default:
      return assertNever(s);
  }
}

function completionKind(k: CompletionKind): monaco.languages.CompletionItemKind {
  const K = monaco.languages.CompletionItemKind;
  switch (k) {
    case 'keyword':
      return K.Keyword;
    case 'function':
      return K.Function;
    case 'class':
      return K.Class;
    case 'field':
      return K.Field;
    case 'variable':
      return K.Variable;
    case 'property':
      return K.Property;
    case 'enum':
      return K.EnumMember;
    default:
      return assertNever(k);
  }
}
