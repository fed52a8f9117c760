import { makeDiagnostic, type Diagnostic, type DiagnosticCode, type RelatedInformation, type SourceRange } from '@snnc/ir';

/** Collects diagnostics; checks report into it and never throw on user mistakes. */
export class Sink {
  readonly diagnostics: Diagnostic[] = [];
  private errors = 0;

  report(code: DiagnosticCode, range: SourceRange, args: Record<string, string | number> = {}, hint?: string, related?: RelatedInformation[]): void {
    const d = makeDiagnostic(code, range, args, hint);
    if (related && related.length > 0) d.related = related;
    this.add(d);
  }

  add(d: Diagnostic): void {
    if (d.severity === 'error') this.errors++;
    this.diagnostics.push(d);
  }

  get errorCount(): number {
    return this.errors;
  }
}
