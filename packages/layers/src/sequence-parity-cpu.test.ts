import { runSequenceParity } from './sequence-parity.test-suite';

runSequenceParity('cpu');
