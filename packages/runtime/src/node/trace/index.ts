export { irIndexOfRuntime, traceModel, type TracedLayer, type TraceModelOptions } from './trace-model.js';
