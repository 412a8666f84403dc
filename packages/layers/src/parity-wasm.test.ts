import { runLayerParity } from './parity.test-suite';

runLayerParity('wasm');
