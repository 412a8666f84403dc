import { defineConfig } from 'vitest/config';

/** Shared vitest settings: tests run on TypeScript sources through the `@nntk/source` export condition. */
export function nntkVitestConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    ssr: { resolve: { conditions: ['@nntk/source', 'node', 'import', 'default'] } },
    resolve: { conditions: ['@nntk/source'] },
    server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/] } },
    test: {
      environment: 'node',
      pool: 'forks',
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 60_000,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      onConsoleLog(log) {
        if (/tfjs-node|Hi there|speed things up|=====/.test(log)) return false;
        return undefined;
      },
    },
  });
}
