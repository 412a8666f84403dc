import { exampleArgs } from '@nntk-examples/kit';
import { augmentArg, epochsArg } from './augment-option';
import { runStudy } from './study';

await runStudy({
  ...exampleArgs(),
  augment: augmentArg(),
  epochs: epochsArg(),
  short: process.argv.includes('--short'),
});
