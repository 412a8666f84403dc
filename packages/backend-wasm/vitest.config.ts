import { nntkVitestConfig } from '../../vitest.shared.ts';

export default nntkVitestConfig();
