import { nntkTsupConfig } from '../../tsup.shared.ts';

// import.meta.url in the CJS build locates the embedded data files.
export default nntkTsupConfig({ shims: true });
