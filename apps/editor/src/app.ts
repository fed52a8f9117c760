import type { Diagnostic, Program } from '@snnc/ir';
import { monaco } from './monaco/setup.js';
import { LANGUAGE_ID, THEME, fileOf, registerSnnLanguage, setDiagnostics } from './monaco/language.js';
import type { LanguageClient } from './lang/client.js';
import type { RunTarget } from './lang/analysis.js';
import { download, openLocalFile } from './files/local.js';
import { decodeShare, encodeShare } from './files/share.js';
import { saveDraft, type Doc } from './files/startup.js';
import { NefPanel } from './nef/panel.js';
import type { SimSpeed } from './nef/protocol.js';
import { TrainPanel } from './train/panel.js';
import type { BackendRequest } from './train/protocol.js';
import { renderProblems } from './ui/problems.js';
import { byId, showTab, type TabName } from './ui/dom.js';
import { showGallery } from './ui/gallery.js';

/**
 * The page: Monaco with the `.snn` language, the toolbar (examples, open, save, share,
 * format, run, stop) and the side tabs (problems, network, training, IR). Loaded by main.ts
 * after it has started the language worker on the first document.
 */
export function startApp(client: LanguageClient, first: Doc, notice: string | undefined): void {
  registerSnnLanguage(client);

  const editor = monaco.editor.create(byId('editor'), {
    automaticLayout: true,
    theme: THEME,
    minimap: { enabled: false },
    fontSize: 13,
    tabSize: 2,
    scrollBeyondLastLine: false,
    fixedOverflowWidgets: true,
    'semanticHighlighting.enabled': false,
  });

  performance.mark('snnc:editor-created');
  editor.onDidChangeCursorPosition((e) => {
    byId('cursor-pos').textContent = `Ln ${e.position.lineNumber}, Col ${e.position.column}`;
  });
  const nef = new NefPanel({ graph: byId('net-graph'), sliders: byId('sliders'), plots: byId('probe-plots'), status: byId('sim-status'), empty: byId('network-empty') });
  const trainer = new TrainPanel(
    {
      plots: byId('train-plots'),
      status: byId('train-status'),
      step: byId('train-step'),
      loss: byId('train-loss'),
      trainAcc: byId('train-acc'),
      testAcc: byId('test-acc'),
      speed: byId('train-speed'),
      energy: byId('train-energy'),
      log: byId('epoch-log'),
      weights: byId<HTMLButtonElement>('btn-weights'),
      raster: byId('train-raster'),
      empty: byId('training-empty'),
    },
    new URL('mnist-subset.bin', document.baseURI).href,
  );

  const targetSelect = byId<HTMLSelectElement>('target');
  const runButton = byId<HTMLButtonElement>('btn-run');
  const stopButton = byId<HTMLButtonElement>('btn-stop');
  const statusText = byId('status-text');
  const checkTime = byId('check-time');
  let program: Program | undefined;

  // ---- documents ------------------------------------------------------------------------

  /** Replaces the editor's document; the name becomes the file the compiler sees (for `use`). */
  function openDocument(doc: Doc): void {
    const old = editor.getModel();
    const uri = monaco.Uri.from({ scheme: 'snn', path: `/${doc.name}`, query: String(Date.now()) });
    const model = monaco.editor.createModel(doc.text, LANGUAGE_ID, uri);
    editor.setModel(model);
    old?.dispose();
    byId('file-name').textContent = doc.name;
    document.title = `${doc.name.split('/').pop()} · snnc editor`;
    model.onDidChangeContent(() => {
      client.update(fileOf(model), model.getValue(), model.getVersionId());
      saveDraft({ name: doc.name, text: model.getValue() });
    });
    client.update(fileOf(model), model.getValue(), model.getVersionId(), true);
  }

  client.onAnalysis(({ analysis, latencyMs }) => {
    const model = editor.getModel();
    if (!model || fileOf(model) !== analysis.file || model.getVersionId() !== analysis.version) return;
    setDiagnostics(model, analysis.diagnostics);
    showProblems(analysis.diagnostics);
    program = analysis.program;
    updateTargets(analysis.targets);
    byId('ir-view').textContent = program ? JSON.stringify(program, null, 2) : 'The IR appears here when the file compiles without errors.';
    checkTime.textContent = `checked in ${latencyMs.toFixed(0)} ms (compile ${analysis.ms.toFixed(1)} ms)`;
    checkTime.dataset['version'] = String(analysis.version);
    checkTime.dataset['latency'] = latencyMs.toFixed(2);
    statusText.textContent = program ? 'no errors' : `${analysis.diagnostics.filter((d) => d.severity === 'error').length} error(s)`;
    const t = selectedTarget();
    if (program && t?.kind === 'network' && !nef.running) {
      const net = program.networks.find((n) => n.name === t.name);
      if (net) nef.preview(net);
    }
  });
  client.onCrash((message) => {
    statusText.textContent = `the compiler crashed: ${message}`;
  });

  function showProblems(ds: readonly Diagnostic[]): void {
    const model = editor.getModel();
    renderProblems(byId('problems'), byId('problem-count'), ds, model ? fileOf(model) : '', (d) => {
      editor.setSelection(new monaco.Range(d.range.line, d.range.column, d.range.endLine, d.range.endColumn));
      editor.revealLineInCenter(d.range.line);
      editor.focus();
    });
  }

  function updateTargets(targets: RunTarget[]): void {
    const previous = targetSelect.value;
    targetSelect.replaceChildren(
      ...targets.map((t) => {
        const o = document.createElement('option');
        o.value = `${t.kind}:${t.name}`;
        o.textContent = `${t.kind} ${t.name}`;
        return o;
      }),
    );
    if (targets.some((t) => `${t.kind}:${t.name}` === previous)) targetSelect.value = previous;
    updateRunState();
  }

  function selectedTarget(): RunTarget | undefined {
    const [kind, ...rest] = targetSelect.value.split(':');
    if (kind !== 'network' && kind !== 'experiment') return undefined;
    return { kind, name: rest.join(':') };
  }

  function updateRunState(): void {
    const busy = nef.running || trainer.running;
    runButton.disabled = !program || !selectedTarget();
    stopButton.disabled = !busy;
  }
  nef.onStateChange = updateRunState;
  trainer.onStateChange = updateRunState;

  // ---- run ------------------------------------------------------------------------------

  function run(): void {
    const t = selectedTarget();
    if (!program || !t) return;
    if (t.kind === 'network') {
      const net = program.networks.find((n) => n.name === t.name);
      if (!net) return;
      showTab('network');
      const speedValue = byId<HTMLSelectElement>('sim-speed').value;
      const speed: SimSpeed = speedValue === 'max' ? 'max' : (Number(speedValue) as SimSpeed);
      nef.start(net, speed, byId<HTMLInputElement>('sim-keep').checked);
    } else {
      const exp = program.experiments.find((e) => e.name === t.name);
      if (!exp) return;
      showTab('training');
      trainer.start(exp, byId<HTMLSelectElement>('train-backend').value as BackendRequest);
    }
  }

  runButton.addEventListener('click', run);
  stopButton.addEventListener('click', () => {
    nef.stop();
    trainer.stop();
  });
  targetSelect.addEventListener('change', updateRunState);

  // ---- files ----------------------------------------------------------------------------

  function currentDoc(): Doc {
    const model = editor.getModel();
    return { name: model ? fileOf(model) : 'untitled.snn', text: model?.getValue() ?? '' };
  }

  function save(): void {
    const d = currentDoc();
    download(d.name.split('/').pop() ?? 'model.snn', d.text);
  }

  byId('btn-save').addEventListener('click', save);
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, save);
  byId('btn-open').addEventListener('click', () => {
    openLocalFile().then(
      (f) => f && openDocument(f),
      (e: unknown) => (statusText.textContent = `cannot open the file: ${String(e)}`),
    );
  });
  byId('btn-format').addEventListener('click', () => void editor.getAction('editor.action.formatDocument')?.run());
  byId('btn-share').addEventListener('click', () => {
    const d = currentDoc();
    void encodeShare({ name: d.name.split('/').pop() ?? 'shared.snn', text: d.text }).then(async (fragment) => {
      const url = `${location.origin}${location.pathname}#${fragment}`;
      history.replaceState(null, '', `#${fragment}`);
      try {
        await navigator.clipboard.writeText(url);
        statusText.textContent = `link copied (${url.length} characters)`;
      } catch {
        statusText.textContent = `share link is in the address bar (${url.length} characters)`;
      }
      statusText.dataset['shareUrl'] = url;
    });
  });

  byId('btn-examples').addEventListener('click', () =>
    showGallery(byId<HTMLDialogElement>('gallery'), byId('gallery-list'), (doc) => {
      // The address no longer holds the shared source once another file is open.
      history.replaceState(null, '', location.pathname);
      openDocument(doc);
    }),
  );

  // ---- tabs -----------------------------------------------------------------------------

  for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs button')) {
    b.addEventListener('click', () => showTab(b.dataset['tab'] as TabName));
  }

  // ---- start ----------------------------------------------------------------------------

  window.addEventListener('hashchange', () => {
    decodeShare(location.hash).then(
      (d) => d && openDocument(d),
      (e: unknown) => (statusText.textContent = e instanceof Error ? e.message : String(e)),
    );
  });

  openDocument(first);
  if (notice) statusText.textContent = notice;
  document.body.dataset['ready'] = 'true';
}
