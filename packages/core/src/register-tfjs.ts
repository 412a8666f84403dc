// Side effect of @nntk/core's browser entry. tfjs-core's entry registers neither gradients nor chained
// tensor methods (`x.mul(y)`); the @tensorflow/tfjs umbrella imports these two modules for that, and so
// does @nntk/core, so tf.grad and chained ops work for every nntk user. The app's bundler resolves them to
// the app's tfjs-core. The package entry is imported first, so its Tensor class is the global one.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
