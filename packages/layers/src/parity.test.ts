// Every layer against PyTorch 1.13, one suite run on each backend of the matrix (cpu, wasm, and webgpu
// where Dawn finds an adapter; CI has Mesa's GLES): the layer table (fixtures/gen_layers.py), the sequence
// and 1-d layers (LSTM, GRU and their cells, Conv1d, ConvTranspose2d, 1-d pools, Upsample;
// fixtures/gen_layers_sequence.py), the attention layers and Embedding (fixtures/gen_layers_attention.py):
// forward and every gradient within 1e-5 (relative, 1e-5 absolute near zero) on every backend.
import { backendMatrix } from '../../core/src/backend-matrix.test-helpers';
import { runAttentionParity } from './attention-parity.test-suite';
import { runEmbeddingParity } from './embedding-parity.test-suite';
import { runLayerParity } from './parity.test-suite';
import { runSequenceParity } from './sequence-parity.test-suite';

const backends = await backendMatrix('layers match PyTorch');
for (const backend of backends) {
  runLayerParity(backend);
  runSequenceParity(backend);
  runAttentionParity(backend);
  runEmbeddingParity(backend);
}
