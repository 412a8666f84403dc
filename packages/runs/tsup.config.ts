import { nntkTsupConfig } from '../../tsup.shared.ts';

export default nntkTsupConfig();
