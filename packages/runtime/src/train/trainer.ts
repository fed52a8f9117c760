import * as tf from '@tensorflow/tfjs-core';
import { Random, SnncError, type Experiment } from '@snnc/ir';
import { normalizeTable, trainBatchCount, trainOrder, type HostBatch } from '../data/index.js';
import { assertGradientsRegistered } from '../kernels/gradients.js';
import type { SnnNetwork } from '../model/index.js';
import { ActivityCollector, ActivityWatch, combineProbes, RateRegProbe, type ActivityWarning, type LayerRate } from './activity/index.js';
import { countCorrect, encodeBatch, targetCodec, type TargetCodec } from './codes/index.js';
import { fitData, inputTensor, trainBatchOf, type DataLayout, type TrainingData } from './data-source.js';
import { evaluateNetwork, evaluationRng, type Evaluation } from './evaluate.js';
import { makeLoss, type LossFn } from './losses.js';
import type { BatchProgress, EpochMetrics } from './metrics.js';
import { learningRate, makeOptimizer, type Optimizer, type OptimizerSnapshot, type Param } from './optim/index.js';
import { loadRng, saveRng, type RngState } from './rng-state.js';
import { withCrossReplicaBatchNorm } from '../kernels/batchnorm.js';
import { leanVariableGrads } from './lean-gradients.js';
import { shardGradients, splitBatch, type GradientReplicas, type ShardResult } from './parallel/index.js';

export interface TrainerOptions {
  /** The experiment with every override already applied. */
  experiment: Experiment;
  network: SnnNetwork;
  train: TrainingData;
  test: TrainingData;
  /**
   * Training batches per activity check (silent/saturated layers, the rates in progress);
   * default a tenth of an epoch, at least 1, so even an epoch of a few batches is checked.
   */
  activityInterval?: number;
  /**
   * Data-parallel training: each batch is split over these replicas and the trainer (worker
   * threads in Node, node/train/parallel). Results equal one replica's up to float rounding
   * (batch norm uses the whole batch's statistics); dropout and stochastic encoders draw from
   * per-replica generators instead of one. Not with rate regularisation (its penalty is not a
   * sum over samples).
   */
  replicas?: GradientReplicas;
}

/** JSON part of a checkpoint: where the run is and everything random about it. */
export interface TrainerState {
  version: 1;
  /** The epoch in progress, or the next one to start when `batch` is 0. */
  epoch: number;
  /** Next training batch of `epoch`; 0 when the epoch has not started. */
  batch: number;
  /** Optimizer updates applied in the whole run. */
  step: number;
  /** Shuffle generator as it was when `epoch` started (to redraw its order on resume). */
  epochShuffle: RngState | null;
  shuffleRng: RngState;
  forwardRng: RngState;
  /** Running sums of the epoch in progress. */
  running: {
    lossSum: number;
    correct: number;
    seen: number;
    seconds: number;
    /** Spikes per neuron layer over `spikeSamples` samples of this epoch's training (absent in older checkpoints). */
    spikes?: Record<string, number>;
    spikeSamples?: number;
  };
  /** Best test accuracy so far, or null before the first evaluation. */
  maxTestAcc: number | null;
  history: EpochMetrics[];
}

export interface TrainerSnapshot {
  state: TrainerState;
  /** The network's persistent tensors by name (owned by the network: do not dispose). */
  weights: Record<string, tf.Tensor>;
  /** Optimizer slots (owned by the optimizer: do not dispose). */
  optimizer: OptimizerSnapshot;
}

export interface RunCallbacks {
  onBatch?: (p: BatchProgress) => void;
  /** Called after each epoch's evaluation; awaited (a checkpoint may be written here). */
  onEpoch?: (m: EpochMetrics) => void | Promise<void>;
  /** Called when a phase (training or evaluation of an epoch) starts. */
  onPhase?: (phase: 'train' | 'test', epoch: number, batches: number, startBatch: number) => void;
  /** A neuron layer stayed silent or saturated over a whole activity interval. */
  onWarning?: (w: ActivityWarning) => void;
}

export interface RunOutcome {
  /** `completed`: every epoch ran; `aborted`: the signal fired between two batches. */
  status: 'completed' | 'aborted';
  history: EpochMetrics[];
}

const now = () => globalThis.performance.now() / 1000;

/**
 * Whether an evaluation is the new best: a higher test accuracy than any before, with a
 * finite test loss (an epoch whose test loss overflowed is not a model worth keeping, even
 * when argmax still picks some right answers).
 */
export function isImprovement(maxTestAcc: number | null, e: { loss: number; accuracy: number }): boolean {
  if (!Number.isFinite(e.loss) || !Number.isFinite(e.accuracy)) return false;
  return maxTestAcc === null || e.accuracy > maxTestAcc;
}

/**
 * The training loop of one experiment, browser-safe: per epoch, a freshly shuffled pass over
 * the training set in batches (drop_last) with one optimizer update each, then an evaluation
 * of the whole test set in eval mode. All randomness (shuffling, dropout, Poisson spikes) comes
 * from generators seeded by `experiment.seed` and saved in snapshots, so a run restored from a
 * snapshot continues exactly as an uninterrupted one on the same backend.
 */
export class Trainer {
  readonly experiment: Experiment;
  readonly network: SnnNetwork;
  readonly codec: TargetCodec;
  readonly loss: LossFn;
  readonly optimizer: Optimizer;
  readonly params: readonly Param[];
  readonly train: TrainingData;
  readonly test: TrainingData;
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  private readonly sampleShape: number[];
  private readonly layout: DataLayout;
  private readonly table: Float32Array;
  private state: TrainerState;
  private shuffleRng: Random;
  private forwardRng: Random;
  /** Spikes per neuron during training (rates only; SynOps are counted in evaluation). */
  private readonly trainActivity: ActivityCollector;
  private readonly watch: ActivityWatch;
  private readonly activityInterval: number;
  private rates: LayerRate[] | undefined;
  private readonly replicas: GradientReplicas | undefined;

  constructor(opts: TrainerOptions) {
    const { experiment, network, train, test } = opts;
    // tfjs-core's gradients are a separate registration (loadBackend does it in Node)
    assertGradientsRegistered();
    this.experiment = experiment;
    this.network = network;
    this.train = train;
    this.test = test;
    this.codec = targetCodec(experiment.target, train.classes);
    this.layout = fitData(experiment, train);
    this.sampleShape = this.layout.sampleShape;
    fitData(experiment, test);
    this.loss = makeLoss(experiment.loss, this.codec, experiment.model.decoder.kind);
    this.table = normalizeTable(experiment.normalize);
    this.batchesPerEpoch = trainBatchCount(train.count, experiment.batch);
    if (this.batchesPerEpoch === 0) {
      throw new SnncError('SNN3002', { name: 'batch', constraint: `at most the ${train.count} training samples`, value: experiment.batch });
    }
    this.totalSteps = this.batchesPerEpoch * experiment.epochs;
    if (opts.replicas !== undefined && opts.replicas.replicas > 1) {
      if (experiment.rateReg) throw new Error('Trainer: data-parallel replicas cannot train with rate regularisation');
      // Shards split the batch axis; a time-major sequence batch interleaves it with time.
      if (this.layout.timeMajor) throw new Error('Trainer: data-parallel replicas cannot train sequence data');
      if (opts.replicas.replicas > experiment.batch) throw new Error(`Trainer: ${opts.replicas.replicas} replicas for batches of ${experiment.batch}`);
      this.replicas = opts.replicas;
    }
    this.params = nameParams(network);
    this.optimizer = makeOptimizer(experiment.optimizer, this.params);
    this.trainActivity = new ActivityCollector(experiment.model, { synops: false, data: experiment.data });
    this.watch = new ActivityWatch(this.trainActivity.plans, experiment.model.steps);
    this.activityInterval = Math.max(1, Math.floor(opts.activityInterval ?? Math.ceil(this.batchesPerEpoch / 10)));
    const streams = rngStreams(experiment.seed);
    this.shuffleRng = streams.shuffle;
    this.forwardRng = streams.forward;
    this.state = {
      version: 1,
      epoch: 0,
      batch: 0,
      step: 0,
      epochShuffle: null,
      shuffleRng: saveRng(this.shuffleRng),
      forwardRng: saveRng(this.forwardRng),
      running: { lossSum: 0, correct: 0, seen: 0, seconds: 0 },
      maxTestAcc: null,
      history: [],
    };
  }

  get epoch(): number {
    return this.state.epoch;
  }

  get history(): readonly EpochMetrics[] {
    return this.state.history;
  }

  /** Whether every epoch of the experiment has run. */
  get done(): boolean {
    return this.state.epoch >= this.experiment.epochs;
  }

  /** The current state (JSON), weights and optimizer slots, for a checkpoint. */
  snapshot(): TrainerSnapshot {
    const state: TrainerState = structuredClone({ ...this.state, shuffleRng: saveRng(this.shuffleRng), forwardRng: saveRng(this.forwardRng) });
    return { state, weights: this.network.namedWeights(), optimizer: this.optimizer.snapshot() };
  }

  /** Continues from a snapshot (weights via network.loadWeights: SnncError SNN7007 on a mismatch). */
  restore(s: TrainerSnapshot): void {
    if (s.state.version !== 1) throw new Error(`Trainer.restore: expected state version 1, got ${String(s.state.version)}`);
    this.network.loadWeights(s.weights);
    this.optimizer.restore(s.optimizer);
    this.state = structuredClone(s.state);
    this.shuffleRng = loadRng(s.state.shuffleRng);
    this.forwardRng = loadRng(s.state.forwardRng);
  }

  /**
   * Runs the remaining epochs. Between two batches it yields to the event loop and checks
   * `signal`; on abort it returns with the state at that batch boundary (snapshot() then
   * resumes exactly there). A loss that is NaN or infinite throws SnncError SNN7005 before the
   * update is applied, so the weights stay those of the last good step.
   */
  async run(opts: { signal?: AbortSignal; callbacks?: RunCallbacks } = {}): Promise<RunOutcome> {
    const cb = opts.callbacks ?? {};
    const B = this.experiment.batch;
    while (!this.done) {
      const s = this.state;
      if (s.batch === 0) {
        s.epochShuffle = saveRng(this.shuffleRng);
        s.running = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      } else if (s.epochShuffle === null) {
        throw new Error('Trainer.run: a state inside an epoch needs the epoch start shuffle state');
      } else {
        this.shuffleRng = loadRng(s.epochShuffle);
      }
      const order = trainOrder(this.train.count, this.shuffleRng);
      // Activity intervals restart with the epoch (or with a resume inside one).
      this.trainActivity.reset();
      this.watch.startEpoch();
      this.rates = undefined;
      let intervalStart = s.batch;
      cb.onPhase?.('train', s.epoch, this.batchesPerEpoch, s.batch);
      let lr = learningRate(this.experiment.schedule, this.experiment.optimizer.lr, s.step, this.totalSteps);
      while (s.batch < this.batchesPerEpoch) {
        if (opts.signal?.aborted) return { status: 'aborted', history: s.history };
        const t0 = now();
        lr = learningRate(this.experiment.schedule, this.experiment.optimizer.lr, s.step, this.totalSteps);
        const host = trainBatchOf(this.train, order, s.batch, B, this.table);
        const { loss, correct } = await this.trainStep(host, lr);
        s.step++;
        s.batch++;
        s.running.lossSum += loss * host.size;
        s.running.correct += correct;
        s.running.seen += host.size;
        s.running.seconds += now() - t0;
        const fired = await this.trainActivity.lastBatchSpikes();
        s.running.spikeSamples = (s.running.spikeSamples ?? 0) + fired.samples;
        const totals = (s.running.spikes ??= {});
        for (const [id, n] of Object.entries(fired.spikes)) totals[id] = (totals[id] ?? 0) + n;
        if (s.batch - intervalStart >= this.activityInterval || s.batch === this.batchesPerEpoch) {
          await this.checkActivity(`epoch ${s.epoch}, batches ${intervalStart + 1}-${s.batch}`, cb);
          intervalStart = s.batch;
        }
        cb.onBatch?.(this.progress('train', s.batch, this.batchesPerEpoch, s.running.lossSum / s.running.seen, s.running.correct / s.running.seen, s.running.seconds, lr));
        await tf.nextFrame();
      }
      if (opts.signal?.aborted) return { status: 'aborted', history: s.history };
      const trainTime = s.running.seconds;
      const trainRates = this.epochRates();
      const t1 = now();
      const evalResult = await this.evaluate(this.test, { epoch: s.epoch, onBatch: cb.onBatch, onPhase: cb.onPhase, signal: opts.signal });
      if (evalResult === 'aborted') return { status: 'aborted', history: s.history };
      const testTime = now() - t1;
      const improved = isImprovement(s.maxTestAcc, evalResult);
      if (improved) s.maxTestAcc = evalResult.accuracy;
      const m: EpochMetrics = {
        epoch: s.epoch,
        train_loss: s.running.lossSum / s.running.seen,
        train_acc: s.running.correct / s.running.seen,
        test_loss: evalResult.loss,
        test_acc: evalResult.accuracy,
        max_test_acc: s.maxTestAcc ?? 0,
        total_time: trainTime + testTime,
        train_time: trainTime,
        test_time: testTime,
        lr,
        steps: s.step,
        images_per_s: s.running.seen / trainTime,
        improved,
      };
      if (evalResult.activity) m.activity = evalResult.activity;
      if (Object.keys(trainRates).length > 0) m.train_firing_rates = trainRates;
      s.history.push(m);
      s.epoch++;
      s.batch = 0;
      s.epochShuffle = null;
      s.running = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      await cb.onEpoch?.(m);
    }
    return { status: 'completed', history: this.state.history };
  }

  /**
   * Mean loss and accuracy over a data set in eval mode. Stochastic encoders draw from a
   * generator seeded afresh for every evaluation, so every epoch is scored on the same spikes.
   */
  async evaluate(
    data: TrainingData,
    opts: { epoch?: number; signal?: AbortSignal; onBatch?: (p: BatchProgress) => void; onPhase?: RunCallbacks['onPhase'] } = {},
  ): Promise<Evaluation | 'aborted'> {
    const activity = new ActivityCollector(this.experiment.model, { synops: true, data: this.experiment.data });
    try {
      return await evaluateNetwork({
        experiment: this.experiment,
        network: this.network,
        data,
        rng: evaluationRng(this.experiment.seed),
        epoch: opts.epoch ?? this.state.epoch,
        activity,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onBatch ? { onBatch: opts.onBatch } : {}),
        ...(opts.onPhase ? { onPhase: opts.onPhase } : {}),
      });
    } finally {
      activity.dispose();
    }
  }

  dispose(): void {
    this.optimizer.dispose();
    this.trainActivity.dispose();
  }

  /** Each neuron layer's firing rate over the epoch's training batches (kept in the state, so a resume continues them). */
  private epochRates(): Record<string, number> {
    const { spikes, spikeSamples } = this.state.running;
    const rates: Record<string, number> = {};
    if (spikes === undefined || !spikeSamples) return rates;
    for (const plan of this.trainActivity.plans) {
      const n = spikes[plan.layer.id];
      if (plan.role.role === 'neuron' && n !== undefined) rates[plan.layer.id] = n / (plan.role.neurons * this.experiment.model.steps * spikeSamples);
    }
    return rates;
  }

  /** Reads the interval's spike counts: rates for progress, warnings for silent/saturated layers. */
  private async checkActivity(span: string, cb: RunCallbacks): Promise<void> {
    const { rates, warnings } = this.watch.check(await this.trainActivity.read(), span);
    this.rates = rates;
    for (const w of warnings) cb.onWarning?.(w);
  }

  private tensors(host: HostBatch): { x: tf.Tensor; y: tf.Tensor2D } {
    const x = inputTensor(this.layout, host);
    const y = tf.tensor2d(encodeBatch(this.codec, host.labels), [host.size, this.codec.outputs]);
    return { x, y };
  }

  /**
   * One optimisation step. Values are read back with `await data()`, never `dataSync()`:
   * the webgpu backend cannot read synchronously in Node.
   */
  private async trainStep(host: HostBatch, lr: number): Promise<{ loss: number; correct: number }> {
    if (this.replicas !== undefined) return this.parallelStep(host, lr, this.replicas);
    let outputs: tf.Tensor | undefined;
    const reg = this.experiment.rateReg ? new RateRegProbe(this.experiment.rateReg) : undefined;
    const probe = combineProbes(this.trainActivity, reg)!;
    let computed: { value: tf.Scalar; grads: tf.NamedTensorMap };
    try {
      computed = tf.tidy(() => {
        const { x, y } = this.tensors(host);
        return leanVariableGrads(() => {
          const out = this.network.forward(x, { training: true, rng: this.forwardRng, probe, timeMajor: this.layout.timeMajor }) as tf.Tensor2D;
          outputs = tf.keep(out);
          const loss = this.loss(out, y);
          return reg ? tf.add(loss, reg.penalty()) : loss;
        }, this.network.trainable);
      });
    } catch (e) {
      this.trainActivity.dropBatch();
      throw e;
    } finally {
      reg?.dispose();
    }
    const { value, grads } = computed;
    this.trainActivity.endBatch(host.size);
    try {
      const loss = (await value.data())[0]!;
      if (!Number.isFinite(loss)) {
        throw new SnncError('SNN7005', { value: String(loss), epoch: this.state.epoch, step: this.state.step }, {
          hint: 'lower the learning rate (optimizer lr) or use a schedule; the best checkpoint is kept',
        });
      }
      this.optimizer.apply(this.params.map((p) => grads[p.variable.name]), lr);
      const correct = countCorrect(this.codec, await outputs!.data(), host.labels);
      return { loss, correct };
    } finally {
      value.dispose();
      tf.dispose(grads);
      outputs?.dispose();
    }
  }

  /**
   * One optimisation step split over the replicas: the trainer computes the first shard while
   * the others compute theirs from the same weights; the gradients add up to the whole batch's
   * (each shard's loss is scaled by its share), and the trainer alone applies the update.
   * Activity is counted on the trainer's shard.
   */
  private async parallelStep(host: HostBatch, lr: number, replicas: GradientReplicas): Promise<{ loss: number; correct: number }> {
    const [own, ...others] = splitBatch(host, replicas.replicas);
    const named = this.network.namedWeights();
    const weights: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(named)) weights[name] = (await t.data()) as Float32Array;
    const remote = replicas.compute(others.map((shard) => ({ weights, shard, globalBatch: host.size, rng: saveRng(this.forwardRng.fork()) })));
    let local: ReturnType<typeof shardGradients>;
    try {
      local = withCrossReplicaBatchNorm(replicas.reducer, () =>
        tf.tidy(() =>
          shardGradients({ network: this.network, loss: this.loss, codec: this.codec, sampleShape: this.sampleShape, shard: own!, globalBatch: host.size, rng: this.forwardRng, probe: this.trainActivity }),
        ),
      );
    } catch (e) {
      this.trainActivity.dropBatch();
      replicas.abort();
      await remote.catch(() => undefined);
      throw e;
    }
    this.trainActivity.endBatch(own!.size);
    let results: ShardResult[];
    try {
      results = await remote;
    } catch (e) {
      tf.dispose([local.value, local.outputs, ...local.grads]);
      throw e;
    }
    const grads = tf.tidy(() => local.grads.map((g, i) => tf.addN([g, ...results.map((r) => tf.tensor(r.grads[i]!, g.shape, 'float32'))])));
    try {
      const loss = (await local.value.data())[0]! + results.reduce((a, r) => a + r.loss, 0);
      if (!Number.isFinite(loss)) {
        throw new SnncError('SNN7005', { value: String(loss), epoch: this.state.epoch, step: this.state.step }, {
          hint: 'lower the learning rate (optimizer lr) or use a schedule; the best checkpoint is kept',
        });
      }
      this.optimizer.apply(grads, lr);
      const correct = countCorrect(this.codec, await local.outputs.data(), own!.labels) + results.reduce((a, r) => a + r.correct, 0);
      return { loss, correct };
    } finally {
      tf.dispose([local.value, local.outputs, ...local.grads, ...grads]);
    }
  }

  private progress(phase: 'train' | 'test', batch: number, batches: number, loss: number, accuracy: number, seconds: number, lr: number): BatchProgress {
    const mem = tf.memory();
    const p: BatchProgress = { phase, epoch: this.state.epoch, batch, batches, loss, accuracy, seconds, lr, numTensors: mem.numTensors, numBytes: mem.numBytes };
    if (phase === 'train' && this.rates) p.rates = this.rates;
    return p;
  }
}

/**
 * The run's independent generators, all derived from the seed, so that e.g. adding dropout
 * does not change the shuffling order: training order and training forward passes (dropout,
 * Poisson spikes); evaluations use a third stream, {@link evaluationRng}.
 */
function rngStreams(seed: number): { shuffle: Random; forward: Random } {
  const root = new Random(seed);
  return { shuffle: root.fork(), forward: root.fork() };
}

/** Each trainable variable under its name in namedWeights(), which checkpoints use. */
function nameParams(network: SnnNetwork): Param[] {
  const byVariable = new Map<tf.Tensor, string>();
  for (const [name, t] of Object.entries(network.namedWeights())) byVariable.set(t, name);
  return network.trainable.map((variable, i) => {
    const name = byVariable.get(variable);
    if (name === undefined) throw new Error(`Trainer: trainable variable ${i} (${variable.name}) is missing from namedWeights()`);
    return { name, variable };
  });
}
