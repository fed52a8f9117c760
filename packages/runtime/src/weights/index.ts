export { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors.js';
