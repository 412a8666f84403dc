import { exampleArgs } from '@nntk-examples/kit';
import { runStudy } from './study';

await runStudy(exampleArgs());
