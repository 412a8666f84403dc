// The Node entry of @tensorflow/tfjs-core registers neither gradients nor chained tensor methods
// (`x.mul(y)`); the @tensorflow/tfjs umbrella imports these two modules for that. Importing
// @nntk/core does the same, so tf.grad and chained ops work for every nntk user.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
