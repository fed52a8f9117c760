import type { DiagnosticCode } from '@snnc/ir';

/**
 * For docs/diagnostics.md: what each diagnostic means and a `.snn` snippet that shows it.
 * `compile` examples are compiled and must produce the code (a test checks it); `runtime`
 * examples cannot be produced by the compiler, so they say what triggers them and point at
 * the text `at` with the given message arguments.
 */
export type DiagnosticExample =
  | { kind: 'compile'; meaning: string; source: string; files?: Record<string, string> }
  | { kind: 'runtime'; meaning: string; source: string; at: string; args: Record<string, string | number>; trigger: string; file?: string };

const MLP = 'model mlp(input: [784], steps: 4) {\n  flatten -> dense(10) -> LIF\n}\n';
const IDX = `${MLP}\nexperiment e {\n  model: mlp\n  data: idx(train_images: "data/train-images.idx", train_labels: "data/train-labels.idx", test_images: "data/test-images.idx", test_labels: "data/test-labels.idx", classes: 10)\n}\n`;
const NET = (body: string) => `network n {\n${body}\n  run 1s\n}\n`;

export const DIAGNOSTIC_EXAMPLES: Partial<Record<DiagnosticCode, DiagnosticExample>> = {
  SNN1001: { kind: 'compile', meaning: 'A character that cannot start any token, such as `$` or `@`.', source: 'neuron lif = LIF(tau: 2) $\n' },
  SNN1002: { kind: 'compile', meaning: 'The text does not follow the grammar: a missing bracket, a value where a name is needed, a stray token. The parser recovers and keeps checking the rest of the file.', source: 'model m(input: [784], steps: 4) {\n  dense(10 -> LIF\n}\n' },
  SNN1003: { kind: 'compile', meaning: 'A string has no closing quote before the end of its line.', source: 'use "common.snn\n' },
  SNN1004: { kind: 'compile', meaning: 'A number is followed by letters that are not a unit. Units: `s`, `ms`, `us` (times) and `Hz`, `kHz` (rates).', source: NET('  input a = 0.5').replace('run 1s', 'run 5sec') },
  SNN1005: { kind: 'compile', meaning: 'A number literal is too large to represent (it would be infinite).', source: `neuron lif = LIF(threshold: 1e999)\n` },
  SNN1009: {
    kind: 'runtime',
    meaning: 'The compiler itself failed. This is a bug in snnc, not in the file; the compiler reports it instead of crashing.',
    trigger: 'an internal error while compiling',
    source: 'neuron lif = LIF\n',
    at: '',
    args: { message: 'unhandled case: {"kind":"?"}' },
  },
  SNN2001: { kind: 'compile', meaning: 'A name that is not defined where it is used: a layer, neuron, model, experiment, input or ensemble. The hint suggests a close name, or says what kind of thing the name is.', source: 'neuron lif = LIF(tau: 2)\n\nmodel m(input: [784], steps: 4) {\n  dense(10) -> lfi\n}\n' },
  SNN2002: { kind: 'compile', meaning: 'Two definitions share a name. Top-level names (neurons, models, experiments, sweeps, networks, including imported ones) share one namespace; inputs and ensembles share one per network.', source: 'neuron lif = LIF(tau: 2)\nneuron lif = IF\n' },
  SNN2003: { kind: 'compile', meaning: 'A named argument that the layer, neuron, encoder, optimizer or model does not take.', source: 'model m(input: [1, 28, 28], steps: 4) {\n  conv2d(8, kernal: 3) -> LIF\n  flatten -> dense(10) -> LIF\n}\n' },
  SNN2004: { kind: 'compile', meaning: 'A required argument or setting is missing: `kernel` for `conv2d`, `input`/`steps` for a model, `run` for a network.', source: 'model m(input: [1, 28, 28], steps: 4) {\n  conv2d(8) -> LIF\n  flatten -> dense(10) -> LIF\n}\n' },
  SNN2005: { kind: 'compile', meaning: 'The same argument, field, setting or sweep axis is given twice.', source: 'neuron lif = LIF(tau: 2, tau: 3)\n' },
  SNN2006: { kind: 'compile', meaning: 'A `use` names a file that cannot be read. Paths are relative to the importing file.', source: 'use "missing.snn"\n' },
  SNN2007: { kind: 'compile', meaning: 'Files import each other in a circle.', source: 'use "main.snn"\n' },
  SNN2008: { kind: 'compile', meaning: 'More positional arguments than the call takes; name the others.', source: 'model m(input: [784], steps: 4) {\n  dense(10, 20) -> LIF\n}\n' },
  SNN2009: { kind: 'compile', meaning: 'A neuron defined in the compiled file that none of its models uses; often a sign of a misspelt layer name. Files without models (libraries of neurons) and imported files are not checked.', source: 'neuron lif = LIF\nneuron unused = IF\n\nmodel m(input: [784], steps: 4) {\n  dense(10) -> lif\n}\n' },
  SNN3001: { kind: 'compile', meaning: 'A value of the wrong kind: a string where a number is needed, a non-integer where an integer is needed, a list where a single value is needed.', source: `${MLP}\nexperiment e { model: mlp  batch: "64" }\n` },
  SNN3002: { kind: 'compile', meaning: 'A number outside the range the parameter allows, such as a dropout rate of 1.5 or a LIF `tau` of at most 1 step.', source: 'model m(input: [784], steps: 4) {\n  dense(100) -> LIF -> dropout(1.5) -> dense(10) -> LIF\n}\n' },
  SNN3003: { kind: 'compile', meaning: 'A word that is not one of the allowed choices (target codes, losses, surrogates, neuron kinds ...).', source: `${MLP}\nexperiment e { model: mlp  target: onehto }\n` },
  SNN3004: { kind: 'compile', meaning: 'A time where a rate is needed, or the other way round. Times: `synapse`, `tau_rc`, `tau_ref`, `run`, `dt`; rates: `max_rates`.', source: NET('  input s = 0.5\n  ensemble a = LIF(n: 100)\n  connect s -> a (synapse: 5Hz)') },
  SNN3005: { kind: 'compile', meaning: 'A unit on a parameter that is a plain number. Trained neurons count `tau` in time steps, so `tau: 2ms` is a mistake.', source: 'neuron lif = LIF(tau: 2ms)\n' },
  SNN3006: { kind: 'compile', meaning: 'A constant is needed but the expression reads `t` or `x`, which only exist in NEF functions and signals.', source: 'model m(input: [784], steps: 4) {\n  dense(t) -> LIF\n}\n' },
  SNN3007: { kind: 'compile', meaning: 'Arithmetic mixes a time and a rate (or squares a time) in a way that has no meaning.', source: NET('  input s = 0.5\n  ensemble a = LIF(n: 100)\n  connect s -> a (synapse: 5ms + 2Hz)') },
  SNN4001: { kind: 'compile', meaning: 'A layer receives a shape it cannot take: an image layer after `flatten`, or `dense` on an image without `flatten`. The message names both shapes.', source: 'model m(input: [1, 28, 28], steps: 4) {\n  conv2d(8, kernel: 3) -> LIF -> flatten\n  conv2d(16, kernel: 3) -> LIF\n}\n' },
  SNN4002: { kind: 'compile', meaning: 'A convolution or pooling window is larger than the image that reaches it, leaving nothing.', source: 'model m(input: [1, 28, 28], steps: 4) {\n  conv2d(8, kernel: 3, padding: 1) -> LIF -> maxpool(2) -> maxpool(2) -> maxpool(2)\n  maxpool(4) -> flatten -> dense(10) -> LIF\n}\n' },
  SNN4003: { kind: 'compile', meaning: "The model's output width does not match the target code: one-hot codes need one output per class, binary and Gray codes ceil(log2 classes).", source: `${MLP}\nexperiment e { model: mlp  target: binary }\n` },
  SNN4004: { kind: 'compile', meaning: "The model's input shape does not match the data set (MNIST images are [1, 28, 28], or [784] flat).", source: 'model m(input: [1, 32, 32], steps: 4) {\n  flatten -> dense(10) -> LIF\n}\n\nexperiment e { model: m  data: mnist }\n' },
  SNN4005: { kind: 'compile', meaning: 'A model has no neuron layer, so it is not a spiking network.', source: 'model m(input: [784], steps: 4) {\n  dense(10)\n}\n' },
  SNN4006: { kind: 'compile', meaning: 'The last layer is not a neuron, so `rate` and `count` decoding read something that is not spikes. End in a neuron, or decode `membrane`.', source: 'model m(input: [784], steps: 4) {\n  dense(100) -> LIF -> dense(10)\n}\n' },
  SNN5001: { kind: 'compile', meaning: 'A connection delivers a different number of dimensions than its target takes; give a `transform` matrix or slice an endpoint.', source: NET('  ensemble ab = LIF(n: 200, dims: 2)\n  ensemble c = LIF(n: 100)\n  connect ab -> c') },
  SNN5002: { kind: 'compile', meaning: 'A slice or index selects a dimension (or neuron) that does not exist.', source: NET('  input a = 0.5\n  ensemble ab = LIF(n: 200, dims: 2)\n  connect a -> ab[2]') },
  SNN5003: { kind: 'compile', meaning: "A connection function reads an element of `x` beyond the pre-synaptic value's dimensions.", source: NET('  ensemble ab = LIF(n: 200, dims: 2)\n  ensemble c = LIF(n: 100)\n  connect ab -> c (function: x[0] * x[2])') },
  SNN5004: { kind: 'compile', meaning: 'A connection from an ensemble to itself needs a synapse, or its value would depend on itself within one step.', source: NET('  ensemble a = LIF(n: 100)\n  connect a -> a (synapse: none)') },
  SNN5005: { kind: 'compile', meaning: 'A transform matrix has the wrong size: it must be (post dimensions) x (pre dimensions, or function outputs).', source: NET('  ensemble a = LIF(n: 100, dims: 2)\n  ensemble b = LIF(n: 100, dims: 2)\n  connect a -> b (transform: [[1, 0, 0], [0, 1, 0]])') },
  SNN5006: { kind: 'compile', meaning: 'An expression uses a function or variable that does not exist. Functions: sin cos tan exp log tanh abs sqrt sign floor ceil min max; variables: `t`, `x`, `pi`, `e`, input names in `expect:` and network parameters.', source: NET('  input s = sine(2 * pi * t)\n  ensemble a = LIF(n: 100)\n  connect s -> a') },
  SNN5007: { kind: 'compile', meaning: 'A built-in function is called with the wrong number of arguments.', source: NET('  input s = sin(t, 2)\n  ensemble a = LIF(n: 100)\n  connect s -> a') },
  SNN5008: { kind: 'compile', meaning: 'Something that is not allowed inside an expression: a string or list inside arithmetic, an unindexed multi-dimensional `x`, named arguments to a built-in.', source: NET('  ensemble ab = LIF(n: 200, dims: 2)\n  ensemble c = LIF(n: 100)\n  connect ab -> c (function: x * 2)') },
  SNN5009: { kind: 'compile', meaning: 'A probe that cannot record what is asked: `expect` on spikes, voltage of neurons that have none, or an expectation with the wrong number of dimensions.', source: NET('  input s = 0.5\n  ensemble a = LIF(n: 100)\n  connect s -> a\n  probe a.spikes (expect: s)') },
  SNN5010: { kind: 'compile', meaning: 'A `piecewise` signal whose times do not increase, or whose values have different sizes.', source: NET('  input s = piecewise({0: 0, 1: 1, 0.5: 0})\n  ensemble a = LIF(n: 100)\n  connect s -> a') },
  SNN5011: { kind: 'compile', meaning: 'An encoder vector has a different length than the ensemble has dimensions.', source: NET('  ensemble a = LIF(n: 100, dims: 2, encoders: [[1, 1], [1, -1, 0]])') },
  SNN5012: { kind: 'compile', meaning: 'A connection endpoint that cannot be used that way: an input as a target, a function from neurons, an attribute an ensemble does not have.', source: NET('  ensemble a = LIF(n: 100)\n  input s = 0.5\n  connect a -> s') },
  SNN5013: { kind: 'compile', meaning: 'Connections without synapses form a loop through several ensembles, so no value can be computed first.', source: NET('  ensemble a = LIF(n: 100)\n  ensemble b = LIF(n: 100)\n  connect a -> b (synapse: none)\n  connect b -> a (synapse: none)') },
  SNN5014: {
    kind: 'runtime',
    meaning: 'When the network is built, no neuron of the ensemble fires for any represented value (all intercepts above the radius, say), so no decoders can be solved for.',
    trigger: 'building a network whose ensemble is silent',
    source: NET('  ensemble a = LIF(n: 1, intercepts: [0.99, 0.99])\n  probe a'),
    at: 'a = LIF(n: 1, intercepts: [0.99, 0.99])',
    args: { name: 'a' },
  },
  SNN6001: { kind: 'compile', meaning: 'An experiment field that does not exist. Fields: model, data, normalize, target, loss, optimizer, schedule, batch, epochs, seed.', source: `${MLP}\nexperiment e { model: mlp  epoch: 3 }\n` },
  SNN6002: { kind: 'compile', meaning: 'An experiment (with its base) does not say which model to train.', source: 'experiment e { batch: 32 }\n' },
  SNN6003: { kind: 'compile', meaning: 'A sweep axis names a field or parameter that does not exist.', source: 'model m(input: [784], steps: 4, hidden: 100) {\n  dense(hidden) -> LIF -> dense(10) -> LIF\n}\n\nexperiment e { model: m }\nsweep s from e { model.hiden: [10, 20] }\n' },
  SNN6004: { kind: 'compile', meaning: 'A sweep axis with an empty list of values.', source: `${MLP}\nexperiment e { model: mlp }\nsweep s from e { batch: [] }\n` },
  SNN6005: { kind: 'compile', meaning: 'One point of a sweep does not make a valid experiment (a kernel larger than the image, a batch of 0). It is reported on the axis value that causes it, with a note where the error shows.', source: 'model m(input: [1, 28, 28], steps: 4, kernel: 3) {\n  conv2d(4, kernel: kernel) -> LIF -> maxpool(2)\n  flatten -> dense(10) -> LIF\n}\n\nexperiment e { model: m }\nsweep kernels from e { model.kernel: [3, 5, 29] }\n' },
  SNN6006: { kind: 'compile', meaning: 'Experiments inherit from each other in a circle (`from`).', source: `${MLP}\nexperiment a from b { model: mlp }\nexperiment b from a { batch: 8 }\n` },
  SNN7001: { kind: 'runtime', meaning: 'A data file named by the experiment cannot be read when training starts.', trigger: 'training when the file does not exist', source: IDX, at: '"data/train-images.idx"', args: { what: 'training images', path: 'data/train-images.idx', reason: 'no such file' } },
  SNN7002: { kind: 'runtime', meaning: 'A data file does not start with the IDX magic number of the expected kind (unsigned bytes; images 0x00000803, labels 0x00000801).', trigger: 'a label file given as images', source: IDX, at: '"data/train-images.idx"', args: { path: 'data/train-images.idx', what: 'image', magic: '0x00000801', expected: '0x00000803' } },
  SNN7003: { kind: 'runtime', meaning: 'An IDX file is shorter than its header says (an interrupted download).', trigger: 'a cut-off file', source: IDX, at: '"data/train-images.idx"', args: { path: 'data/train-images.idx', expected: 47040016, actual: 1048576 } },
  SNN7004: { kind: 'runtime', meaning: 'The image and label files of one split hold different numbers of items.', trigger: 'mismatched files', source: IDX, at: '"data/train-labels.idx"', args: { images: 60000, labels: 10000 } },
  SNN7005: { kind: 'runtime', meaning: 'Training diverged: the loss became NaN or infinite. Lower the learning rate or check the normalisation.', trigger: 'a learning rate far too high', source: `${MLP}\nexperiment e { model: mlp  optimizer: sgd(lr: 1000) }\n`, at: 'sgd(lr: 1000)', args: { value: 'NaN', epoch: 1, step: 17 } },
  SNN7006: { kind: 'runtime', meaning: 'The requested compute backend cannot be loaded on this machine. snnc does not fall back silently to another backend.', trigger: 'asking for a backend that is not installed', source: `${MLP}\nexperiment e { model: mlp }\n`, at: 'e', args: { backend: 'tensorflow', reason: 'the native addon is not installed' } },
  SNN7007: { kind: 'runtime', meaning: "A checkpoint cannot be used: it is unreadable or belongs to a model with different layers or shapes.", trigger: 'resuming with a checkpoint of another model', source: `${MLP}\nexperiment e { model: mlp }\n`, at: 'mlp', args: { path: 'runs/e/checkpoint.json', reason: 'layer dense_0 has shape [784, 10] in the model but [784, 64] in the checkpoint' } },
  SNN7008: { kind: 'runtime', meaning: 'A label in the data is not below the number of classes the experiment declares.', trigger: 'labels 0-10 with classes: 10', source: IDX, at: 'classes: 10', args: { path: 'data/train-labels.idx', label: 10, classes: 10 } },
  SNN7009: { kind: 'runtime', meaning: 'The loss cannot train the chosen target code with this decoder: bit-wise cross-entropy for `binary`/`gray` reads each output as a probability, so it needs `decode rate`.', trigger: 'cross_entropy on a binary code with membrane decoding', source: 'model mlp(input: [784], steps: 4) {\n  flatten -> dense(4) -> LIF\n  decode membrane\n}\n\nexperiment e { model: mlp  target: binary  loss: cross_entropy }\n', at: 'cross_entropy', args: { loss: 'cross_entropy', target: 'binary', reason: 'bit-wise cross-entropy reads each output as a probability, which needs `decode rate`, not `decode membrane`' } },
  SNN7010: { kind: 'runtime', meaning: 'An IDX header is malformed (wrong element type or dimension count).', trigger: 'a file whose header is not an IDX header', source: IDX, at: '"data/test-images.idx"', args: { path: 'data/test-images.idx', reason: 'has 2 dimensions in its header; images need 3' } },
  SNN7011: { kind: 'runtime', meaning: 'The run directory (logs, checkpoints, results) cannot be written.', trigger: 'a read-only output folder', source: `${MLP}\nexperiment e { model: mlp }\n`, at: 'e', args: { path: 'runs/e', reason: 'permission denied' } },
  SNN7012: { kind: 'runtime', meaning: 'A folder given as a run directory lacks the files a run writes.', trigger: 'pointing a report at the wrong folder', source: `${MLP}\nexperiment e { model: mlp }\n`, at: 'e', args: { path: 'runs/other', reason: 'it has no run.json' } },
  SNN7013: { kind: 'runtime', meaning: 'The job queue used to run sweeps in parallel cannot be reached.', trigger: 'running a sweep on a queue that is down', source: `${MLP}\nexperiment e { model: mlp }\nsweep s from e { seed: [1, 2, 3] }\n`, at: 's', args: { url: 'redis://127.0.0.1:6379', reason: 'connection refused' } },
  SNN9001: { kind: 'runtime', meaning: 'The command line names a `.snn` file that cannot be read.', trigger: '`snnc check missing.snn`', source: '', at: '', args: { path: 'missing.snn', reason: 'no such file' }, file: 'missing.snn' },
  SNN9002: { kind: 'runtime', meaning: 'The command has nothing to do: the file defines no experiment, sweep or network of the requested kind, or the name given does not exist.', trigger: '`snnc run neurons.snn` on a file with only neuron definitions', source: 'neuron lif = LIF\n', at: '', args: { message: '`neurons.snn` defines no experiment, sweep or network to run' } },
  SNN9003: { kind: 'runtime', meaning: 'A command-line option has a bad value.', trigger: '`snnc run --backend gpu x.snn`', source: '', at: '', args: { message: 'unknown backend `gpu` (known: cpu, wasm, tensorflow)' } },
};
