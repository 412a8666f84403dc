// Side effect of @nntk/core's Node entry: tfjs's gradients and chained ops, registered on the app's
// @tensorflow/tfjs-core from its own files (see load-tfjs-registrations.ts).
import * as tf from '@tensorflow/tfjs-core';
// The chained-op types (module augmentations of tfjs's Tensor); erased at run time.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { loadTfjsRegistrations } from './tfjs-registrations/load-tfjs-registrations';

loadTfjsRegistrations(tf);
