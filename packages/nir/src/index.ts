export { isHdf5 } from './hdf5.js';
