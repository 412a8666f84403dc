import { nntkTsupConfig } from '../../tsup.shared.ts';

// tfjs-core's Node entry registers no gradients or chained ops, and its ESM files cannot be loaded by
// Node directly (extensionless imports), so the registration modules are bundled in, as tfjs does.
// shims: the threaded-wasm loader resolves tfjs's files with createRequire(import.meta.url), also in CJS.
export default nntkTsupConfig({ noExternal: [/^@tensorflow\/tfjs-core\/dist\//], shims: true });
