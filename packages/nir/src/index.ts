export { H5_LIMITS, H5FormatError, readH5Tree, writeH5Tree, type H5Data, type H5Group, type H5Tree } from './h5tree.js';
export { isHdf5 } from './hdf5.js';
export { readNir, writeNir, type ReadNirOptions } from './nir-file.js';
export { NirFormatError, nodeWhere, treeToNir, type NirProblem } from './read.js';
export {
  isNirPrimitiveKind,
  NIR_KINDS,
  NIR_PRIMITIVES,
  NIR_WRITE_VERSION,
  nirArray,
  sizeOf,
  type NirArray,
  type NirDtype,
  type NirFile,
  type NirGraph,
  type NirKind,
  type NirMetadata,
  type NirNode,
  type NirParams,
  type NirPrimitive,
  type NirPrimitiveKind,
  type PaddingValue,
  type ParamSpec,
} from './types.js';
export { inputSize, outputSize, validateNir } from './validate.js';
export { nirToTree } from './write.js';
export { chainOf, formatNumber, formatSeconds, ImportError, planImport, plannedWeights, readWeightsPragma, weightsPragma, type ChainNode, type ImportedLayer, type ImportedTensor, type ImportOptions, type ImportPlan, type NamedWeight } from './import/index.js';
export { ExportError, exportModel, type ExportOptions, type ExportResult, type ExportTensor, type ExportWarning } from './export/index.js';
export { paramsFingerprint, snncLayerOf, snncModelLines, snncSteps, SNNC_META, type SnncLayer } from './snnc-origin.js';
