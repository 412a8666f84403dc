import { nntkVitestConfig } from '../../vitest.shared.ts';

// One test file, which runs its own jasmine processes (two at a time).
export default nntkVitestConfig({ testTimeout: 900_000 });
