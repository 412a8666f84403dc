import { nntkTsupConfig } from '../../tsup.shared.ts';

// tfjs-core's Node entry registers no gradients or chained ops, and its ESM files cannot be loaded by
// Node directly (extensionless imports), so the registration modules are bundled in, as tfjs does.
// shims: the threaded-wasm loader resolves tfjs's files with createRequire(import.meta.url), also in CJS.
// dts banner: the bundled d.ts drops side-effect imports, and with them tfjs's chained-op declarations
// (`x.matMul(w)` on `tf.Tensor`, module augmentations in dist/public/chained_ops). Importing them from
// the published types lets a strict TypeScript consumer of @nntk/core use the methods core registers.
const chainedOpTypes = "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';";

export default nntkTsupConfig({
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  shims: true,
  dts: { banner: chainedOpTypes },
});
