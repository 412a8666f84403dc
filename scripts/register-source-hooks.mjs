// Loaded with `--import` by scripts/nntk.mjs: installs tfjs-source-hooks.mjs (after tsx, so it runs first).
import { register } from 'node:module';

register(new URL('./tfjs-source-hooks.mjs', import.meta.url));
