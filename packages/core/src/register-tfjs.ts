// The Node entry of @tensorflow/tfjs-core registers neither gradients nor chained tensor methods
// (`x.mul(y)`); the @tensorflow/tfjs umbrella imports these two modules for that. Importing
// @nntk/core does the same, so tf.grad and chained ops work for every nntk user.
//
// The package entry must load first: the registration modules bring their own copies of tfjs's
// internals, and whichever copy loads first defines the global Tensor class. It has to be the entry's,
// whose op handler is installed (otherwise `variable.clone()` fails on a null op handler).
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
