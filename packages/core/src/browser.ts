// @nntk/core's browser (and bundler) entry: tfjs's gradient and chained-op registrations stay imports,
// which the app's bundler resolves to the app's own @tensorflow/tfjs-core, as the @tensorflow/tfjs
// umbrella does.
import './register-tfjs';

export * from './index';
