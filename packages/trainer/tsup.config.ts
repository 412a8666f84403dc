import { nntkTsupConfig } from '../../tsup.shared.ts';

// Two entries: the full Node one (index) and the browser one with no Node built-in (browser).
export default nntkTsupConfig({ entry: ['src/index.ts', 'src/browser.ts'] });
