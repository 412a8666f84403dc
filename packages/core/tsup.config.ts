import { nntkTsupConfig } from '../../tsup.shared.ts';

// tfjs-core's Node entry registers no gradients or chained ops, and its ESM files cannot be loaded by
// Node directly (extensionless imports), so the registration modules are bundled in, as tfjs does.
export default nntkTsupConfig({ noExternal: [/^@tensorflow\/tfjs-core\/dist\//] });
