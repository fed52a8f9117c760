import type { Diagnostic, Program } from '@snnc/ir';
import { monaco } from './monaco/setup.js';
import { LANGUAGE_ID, THEME, fileOf, registerSnnLanguage, setDiagnostics } from './monaco/language.js';
import type { LanguageClient } from './lang/client.js';
import type { RunTarget } from './lang/analysis.js';
import { download, openLocalFile, readLocalFile, type OpenedFile } from './files/local.js';
import type { FileWeights } from './files/nir.js';
import { decodeShare, encodeShare } from './files/share.js';
import { saveDraft, type Doc } from './files/startup.js';
import { NefPanel } from './nef/panel.js';
import type { SimSpeed } from './nef/protocol.js';
import { TrainPanel } from './train/panel.js';
import type { BackendRequest } from './train/protocol.js';
import { renderProblems } from './ui/problems.js';
import { byId, showTab, type TabName } from './ui/dom.js';
import { showGallery } from './ui/gallery.js';

/** What the page's steps share: the editor, the compiler client, the panels, the last good program. */
interface App {
  editor: monaco.editor.IStandaloneCodeEditor;
  client: LanguageClient;
  nef: NefPanel;
  trainer: TrainPanel;
  statusText: HTMLElement;
  targetSelect: HTMLSelectElement;
  runButton: HTMLButtonElement;
  stopButton: HTMLButtonElement;
  /** The last analysis's IR, when the file compiled without errors. */
  program: Program | undefined;
  /** The weights of the opened `.nir` file, for runs of the model imported from it. */
  fileWeights: FileWeights | undefined;
}

/**
 * The page: Monaco with the `.snn` language, the toolbar (examples, open, save, share,
 * format, run, stop) and the side tabs (problems, network, training, IR). Loaded by main.ts
 * after it has started the language worker on the first document.
 */
export function startApp(client: LanguageClient, first: Doc, notice: string | undefined): void {
  registerSnnLanguage(client);
  const editor = createEditor();
  const { nef, trainer } = createPanels();
  const app: App = {
    editor,
    client,
    nef,
    trainer,
    statusText: byId('status-text'),
    targetSelect: byId<HTMLSelectElement>('target'),
    runButton: byId<HTMLButtonElement>('btn-run'),
    stopButton: byId<HTMLButtonElement>('btn-stop'),
    program: undefined,
    fileWeights: undefined,
  };
  showAnalyses(app);
  wireRunControls(app);
  wireFileActions(app);
  wireTabs();
  openSharedLinks(app);
  openDocument(app, first);
  if (notice) app.statusText.textContent = notice;
  document.body.dataset['ready'] = 'true';
}

/** Monaco in the page, with the cursor position in the status bar. */
function createEditor(): monaco.editor.IStandaloneCodeEditor {
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
  return editor;
}

/** The network tab (NEF runs) and the training tab, on their page elements. */
function createPanels(): { nef: NefPanel; trainer: TrainPanel } {
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
  return { nef, trainer };
}

// ---- documents ------------------------------------------------------------------------

/**
 * Replaces the editor's document; the name becomes the file the compiler sees (for `use`).
 * A `.nir` file's weights stay with the page until another document opens.
 */
function openDocument(app: App, doc: OpenedFile): void {
  const { editor, client } = app;
  const old = editor.getModel();
  const uri = monaco.Uri.from({ scheme: 'snn', path: `/${doc.name}`, query: String(Date.now()) });
  const model = monaco.editor.createModel(doc.text, LANGUAGE_ID, uri);
  editor.setModel(model);
  old?.dispose();
  byId('file-name').textContent = doc.name;
  showFileWeights(app, doc.weights);
  document.title = `${doc.name.split('/').pop()} · snnc editor`;
  model.onDidChangeContent(() => {
    client.update(fileOf(model), model.getValue(), model.getVersionId());
    saveDraft({ name: doc.name, text: model.getValue() });
  });
  client.update(fileOf(model), model.getValue(), model.getVersionId(), true);
}

/** Says next to the file name where the model's weights come from. */
function showFileWeights(app: App, w: FileWeights | undefined): void {
  app.fileWeights = w;
  const el = byId('file-weights');
  el.hidden = w === undefined;
  el.textContent = w ? `weights from ${w.source}` : '';
  el.title = w ? `Experiments that run model ${w.model} start from the ${w.tensors.length} weight tensors in ${w.source} (as snnc import writes them), not from a fresh initialisation` : '';
}

function currentDoc(app: App): Doc {
  const model = app.editor.getModel();
  return { name: model ? fileOf(model) : 'untitled.snn', text: model?.getValue() ?? '' };
}

// ---- analyses -------------------------------------------------------------------------

/** Each analysis of the current version: markers, problems, run targets, IR view, status; a preview of the selected network. */
function showAnalyses(app: App): void {
  const checkTime = byId('check-time');
  app.client.onAnalysis(({ analysis, latencyMs }) => {
    const model = app.editor.getModel();
    if (!model || fileOf(model) !== analysis.file || model.getVersionId() !== analysis.version) return;
    setDiagnostics(model, analysis.diagnostics);
    showProblems(app, analysis.diagnostics);
    app.program = analysis.program;
    updateTargets(app, analysis.targets);
    byId('ir-view').textContent = app.program ? JSON.stringify(app.program, null, 2) : 'The IR appears here when the file compiles without errors.';
    checkTime.textContent = `checked in ${latencyMs.toFixed(0)} ms (compile ${analysis.ms.toFixed(1)} ms)`;
    checkTime.dataset['version'] = String(analysis.version);
    checkTime.dataset['latency'] = latencyMs.toFixed(2);
    app.statusText.textContent = app.program ? 'no errors' : `${analysis.diagnostics.filter((d) => d.severity === 'error').length} error(s)`;
    const t = selectedTarget(app);
    if (app.program && t?.kind === 'network' && !app.nef.running) {
      const net = app.program.networks.find((n) => n.name === t.name);
      if (net) app.nef.preview(net);
    }
  });
  app.client.onCrash((message) => {
    app.statusText.textContent = `the compiler crashed: ${message}`;
  });
}

function showProblems(app: App, ds: readonly Diagnostic[]): void {
  const { editor } = app;
  const model = editor.getModel();
  renderProblems(byId('problems'), byId('problem-count'), ds, model ? fileOf(model) : '', (d) => {
    editor.setSelection(new monaco.Range(d.range.line, d.range.column, d.range.endLine, d.range.endColumn));
    editor.revealLineInCenter(d.range.line);
    editor.focus();
  });
}

// ---- run targets ----------------------------------------------------------------------

function updateTargets(app: App, targets: RunTarget[]): void {
  const select = app.targetSelect;
  const previous = select.value;
  select.replaceChildren(
    ...targets.map((t) => {
      const o = document.createElement('option');
      o.value = `${t.kind}:${t.name}`;
      o.textContent = `${t.kind} ${t.name}`;
      return o;
    }),
  );
  if (targets.some((t) => `${t.kind}:${t.name}` === previous)) select.value = previous;
  updateRunState(app);
}

function selectedTarget(app: App): RunTarget | undefined {
  const [kind, ...rest] = app.targetSelect.value.split(':');
  if (kind !== 'network' && kind !== 'experiment') return undefined;
  return { kind, name: rest.join(':') };
}

function updateRunState(app: App): void {
  const busy = app.nef.running || app.trainer.running;
  app.runButton.disabled = !app.program || !selectedTarget(app);
  app.stopButton.disabled = !busy;
}

// ---- run ------------------------------------------------------------------------------

/** Runs the selected network (NEF, in the network tab) or experiment (training tab). */
function run(app: App): void {
  const t = selectedTarget(app);
  const program = app.program;
  if (!program || !t) return;
  if (t.kind === 'network') {
    const net = program.networks.find((n) => n.name === t.name);
    if (!net) return;
    showTab('network');
    const speedValue = byId<HTMLSelectElement>('sim-speed').value;
    const speed: SimSpeed = speedValue === 'max' ? 'max' : (Number(speedValue) as SimSpeed);
    app.nef.start(net, speed, byId<HTMLInputElement>('sim-keep').checked);
  } else {
    const exp = program.experiments.find((e) => e.name === t.name);
    if (!exp) return;
    showTab('training');
    // The model keeps its name from the import; the runtime checks every tensor's name and shape.
    const w = app.fileWeights?.model === exp.model.name ? app.fileWeights : undefined;
    app.trainer.start(exp, byId<HTMLSelectElement>('train-backend').value as BackendRequest, w);
  }
}

function wireRunControls(app: App): void {
  app.nef.onStateChange = () => updateRunState(app);
  app.trainer.onStateChange = () => updateRunState(app);
  app.runButton.addEventListener('click', () => run(app));
  app.stopButton.addEventListener('click', () => {
    app.nef.stop();
    app.trainer.stop();
  });
  app.targetSelect.addEventListener('change', () => updateRunState(app));
}

// ---- files ----------------------------------------------------------------------------

function save(app: App): void {
  const d = currentDoc(app);
  download(d.name.split('/').pop() ?? 'model.snn', d.text);
}

/** Puts the document into a share link, in the address bar and (when allowed) the clipboard. */
function share(app: App): void {
  const d = currentDoc(app);
  const statusText = app.statusText;
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
}

/** Save (also Ctrl/Cmd-S), open, format, share, and the examples gallery. */
function wireFileActions(app: App): void {
  const { editor } = app;
  byId('btn-save').addEventListener('click', () => save(app));
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => save(app));
  byId('btn-open').addEventListener('click', () => {
    openLocalFile().then(
      (f) => f && openDocument(app, f),
      (e: unknown) => (app.statusText.textContent = `cannot open the file: ${String(e)}`),
    );
  });
  // A .snn or .nir file dropped anywhere on the page opens like one picked with Open (captured
  // before the editor, which would otherwise take the drop).
  window.addEventListener('dragover', (e) => e.preventDefault(), true);
  window.addEventListener(
    'drop',
    (e) => {
      const f = e.dataTransfer?.files[0];
      if (!f) return;
      e.preventDefault();
      e.stopPropagation();
      readLocalFile(f).then(
        (doc) => openDocument(app, doc),
        (err: unknown) => (app.statusText.textContent = `cannot open the file: ${String(err)}`),
      );
    },
    true,
  );
  byId('btn-format').addEventListener('click', () => void editor.getAction('editor.action.formatDocument')?.run());
  byId('btn-share').addEventListener('click', () => share(app));
  byId('btn-examples').addEventListener('click', () =>
    showGallery(byId<HTMLDialogElement>('gallery'), byId('gallery-list'), (doc) => {
      // The address no longer holds the shared source once another file is open.
      history.replaceState(null, '', location.pathname);
      openDocument(app, doc);
    }),
  );
}

// ---- tabs and links -------------------------------------------------------------------

function wireTabs(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs button')) {
    b.addEventListener('click', () => showTab(b.dataset['tab'] as TabName));
  }
}

/** A share link pasted into the address bar of the open page opens its document. */
function openSharedLinks(app: App): void {
  window.addEventListener('hashchange', () => {
    decodeShare(location.hash).then(
      (d) => d && openDocument(app, d),
      (e: unknown) => (app.statusText.textContent = e instanceof Error ? e.message : String(e)),
    );
  });
}
