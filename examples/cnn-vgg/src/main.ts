import { exampleArgs } from '@nntk-examples/kit';
import { augmentArg } from './augment-option';
import { runStudy } from './study';

await runStudy({ ...exampleArgs(), augment: augmentArg(), short: process.argv.includes('--short') });
