import { assertNever, type Experiment } from '@snnc/ir';
import { download } from '../files/local.js';
import { LivePlot } from '../ui/plot.js';
import { SpikeRaster } from '../ui/raster.js';
import type { LayerRate } from '@snnc/runtime';
import type { BackendRequest, TrainRequest, TrainResponse } from './protocol.js';
import { rasterTicks, TRACE_NEURONS } from './trace.js';
import TrainWorker from './worker.ts?worker';
import type { FileWeights } from '../files/nir.js';

export interface TrainPanelElements {
  plots: HTMLElement;
  status: HTMLElement;
  step: HTMLElement;
  loss: HTMLElement;
  trainAcc: HTMLElement;
  testAcc: HTMLElement;
  speed: HTMLElement;
  /** Estimated energy per test sample after the last epoch (docs/energy.md). */
  energy: HTMLElement;
  log: HTMLElement;
  weights: HTMLButtonElement;
  /** Holds the spike raster of one test sample: a caption, then one band per neuron layer. */
  raster: HTMLElement;
  empty: HTMLElement;
}

/**
 * The Training tab: trains an experiment in a worker on the bundled MNIST subset with
 * live loss and accuracy curves (running means over each epoch, per step; test accuracy
 * per epoch), a spike raster of one test sample through the layers (after each epoch and
 * when stopped), a stop button and the trained weights as a download.
 */
export class TrainPanel {
  private worker: Worker | undefined;
  private lossPlot: LivePlot | undefined;
  private accPlot: LivePlot | undefined;
  private testPlot: LivePlot | undefined;
  /** Firing rate of each neuron layer during training; made when the first rates arrive. */
  private ratePlot: LivePlot | undefined;
  private rasters: SpikeRaster[] = [];
  running = false;
  onStateChange: (running: boolean) => void = () => {};

  constructor(
    private readonly el: TrainPanelElements,
    private readonly assetUrl: string,
  ) {
    el.weights.addEventListener('click', () => this.post({ kind: 'weights' }));
  }

  /** The `.nir` file whose weights the current run started from, for the captions. */
  private weightsSource: string | undefined;

  /** `weights`: start from an opened `.nir` file's weights instead of a fresh initialisation. */
  start(experiment: Experiment, backend: BackendRequest, weights?: FileWeights): void {
    // A new run replaces the old one outright; late messages of the old worker are ignored.
    this.worker?.terminate();
    this.reset();
    const worker = new TrainWorker({ name: 'snnc-train' });
    this.worker = worker;
    worker.onmessage = (ev: MessageEvent<TrainResponse>) => {
      if (this.worker === worker) this.receive(ev.data);
    };
    worker.onerror = (ev) => {
      if (this.worker === worker) this.fail(ev.message || 'the training worker failed to start');
    };
    this.setRunning(true);
    this.el.empty.hidden = true;
    this.el.status.textContent = 'starting…';
    this.weightsSource = weights?.source;
    if (weights) this.el.log.textContent = `weights: ${weights.tensors.length} tensors from ${weights.source}, not a fresh initialisation\n`;
    this.post({ kind: 'start', experiment, backend, assetUrl: this.assetUrl, ...(weights ? { weights } : {}) });
  }

  stop(): void {
    if (this.running) this.post({ kind: 'stop' });
  }

  private post(m: TrainRequest): void {
    this.worker?.postMessage(m);
  }

  private setRunning(r: boolean): void {
    this.running = r;
    this.onStateChange(r);
  }

  private reset(): void {
    for (const p of [this.lossPlot, this.accPlot, this.testPlot, this.ratePlot]) p?.destroy();
    this.ratePlot = undefined;
    this.lossPlot = new LivePlot('training loss (running mean over the epoch)', [{ label: 'loss' }], { xLabel: 'step', key: 'loss' });
    this.accPlot = new LivePlot('training accuracy (running mean over the epoch)', [{ label: 'accuracy', color: 2 }], { xLabel: 'step', key: 'train-acc' });
    this.testPlot = new LivePlot('test accuracy per epoch', [{ label: 'test accuracy', color: 1 }], { xLabel: 'epoch', key: 'test-acc', points: true, readoutWindow: 1 });
    this.el.plots.replaceChildren(this.lossPlot.element, this.accPlot.element, this.testPlot.element);
    this.clearRaster('The spike raster of a test sample through the layers appears after the first epoch.');
    this.el.log.textContent = '';
    for (const e of [this.el.step, this.el.loss, this.el.trainAcc, this.el.testAcc, this.el.speed, this.el.energy]) e.textContent = '-';
    this.el.weights.disabled = true;
    delete this.el.status.dataset['done'];
  }

  private clearRaster(note: string): void {
    for (const r of this.rasters) r.destroy();
    this.rasters = [];
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = note;
    this.el.raster.replaceChildren(p);
    delete this.el.raster.dataset['layers'];
    delete this.el.raster.dataset['epoch'];
  }

  /** Replaces the raster with this trace: one band per neuron layer, at most TRACE_NEURONS rows each. */
  private drawTrace(m: Extract<TrainResponse, { kind: 'trace' }>): void {
    const when = m.epoch === null ? 'when training stopped' : m.epoch === 'file' ? `with the weights from ${this.weightsSource ?? 'the file'}, before training` : `after epoch ${m.epoch + 1}`;
    this.clearRaster(`Spikes of test sample ${m.sample} (label ${m.label}) through the neuron layers ${when}, in eval mode; time steps left to right.`);
    for (const layer of m.layers) {
      const ticks = rasterTicks(layer, TRACE_NEURONS);
      const subset = ticks.shown < ticks.units ? `${ticks.shown} of ${ticks.units} neurons, evenly spread` : `all ${ticks.units} neurons`;
      const label = layer.name !== undefined ? `${layer.name} (${layer.layerId})` : layer.layerId;
      const r = new SpikeRaster(`${label} [${layer.shape.join(', ')}] · ${layer.steps} steps`, ticks.shown, layer.steps, `train:${layer.layerId}`, 1, subset);
      r.element.dataset['band'] = layer.layerId;
      r.element.dataset['rows'] = String(ticks.shown);
      r.element.dataset['steps'] = String(layer.steps);
      this.el.raster.append(r.element);
      r.append(ticks.times, ticks.rows);
      this.rasters.push(r);
    }
    this.el.raster.dataset['layers'] = String(m.layers.length);
    this.el.raster.dataset['epoch'] = m.epoch === null ? 'stopped' : String(m.epoch);
  }

  /** One point per layer at `step`: the layers' firing rates over the last logging interval. */
  private appendRates(step: number, rates: readonly LayerRate[]): void {
    if (this.ratePlot === undefined) {
      this.ratePlot = new LivePlot('firing rate per neuron layer (spikes per neuron per step)', rates.map((r, i) => ({ label: r.layer, color: i })), { xLabel: 'step', key: 'firing-rate' });
      this.el.plots.append(this.ratePlot.element);
    }
    this.ratePlot.append([step], rates.map((r) => [r.rate]));
  }

  private fail(message: string): void {
    this.el.status.textContent = `error: ${message}`;
    this.el.status.dataset['error'] = message;
    this.setRunning(false);
  }

  private receive(m: TrainResponse): void {
    switch (m.kind) {
      case 'status':
        this.el.status.textContent = m.message;
        return;
      case 'ready':
        this.el.status.textContent = `training on ${m.trainCount} images (${m.batchesPerEpoch} steps per epoch, ${m.epochs} epochs), testing on ${m.testCount}; ${m.params.toLocaleString('en')} parameters; backend ${m.backend}${m.workers > 1 ? ` on ${m.workers} workers` : ''}`;
        this.el.weights.disabled = false;
        return;
      case 'batch': {
        const p = m.progress;
        this.lossPlot?.append([m.step], [[p.loss]]);
        this.accPlot?.append([m.step], [[p.accuracy]]);
        this.el.step.textContent = String(m.step);
        this.el.loss.textContent = p.loss.toFixed(4);
        this.el.trainAcc.textContent = p.accuracy.toFixed(4);
        this.el.trainAcc.dataset['value'] = String(p.accuracy);
        this.el.step.dataset['value'] = String(m.step);
        if (p.rates && p.rates.length > 0) this.appendRates(m.step, p.rates);
        return;
      }
      case 'epoch':
        this.testPlot?.append([m.metrics.epoch + 1], [[m.metrics.test_acc]]);
        this.el.testAcc.textContent = m.metrics.test_acc.toFixed(4);
        this.el.testAcc.dataset['value'] = String(m.metrics.test_acc);
        this.el.speed.textContent = m.metrics.images_per_s.toFixed(0);
        this.el.log.textContent += `${m.line}\n`;
        if (m.energy && m.metrics.activity) {
          this.el.energy.textContent = m.energy.text;
          this.el.energy.title = m.energy.detail;
          this.el.energy.dataset['value'] = String(m.metrics.activity.total.energy_j);
        }
        return;
      case 'warning':
        this.el.log.textContent += `${m.message}\n`;
        return;
      case 'trace':
        this.drawTrace(m);
        return;
      case 'done':
        this.el.status.textContent = m.status === 'completed' ? 'training finished' : 'training stopped';
        this.el.status.dataset['done'] = m.status;
        this.setRunning(false);
        return;
      case 'weights':
        download(m.name, m.bytes as BlobPart, 'application/octet-stream');
        return;
      case 'error':
        this.fail(m.message);
        return;
      default:
        assertNever(m);
    }
  }
}
