import { nntkTsupConfig } from '../../tsup.shared.ts';

// shims: the threaded-wasm loader resolves tfjs's files with createRequire(import.meta.url), also in CJS.
export default nntkTsupConfig({ shims: true });
