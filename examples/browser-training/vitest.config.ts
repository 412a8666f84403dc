import { nntkVitestConfig } from '../../vitest.shared.ts';

export default nntkVitestConfig({ testTimeout: 600_000 });
