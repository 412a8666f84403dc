export { colorJitter } from './color-jitter';
export { compose } from './compose';
export { normalize } from './normalize';
export { randomCrop } from './random-crop';
export { randomErasing } from './random-erasing';
export { randomHorizontalFlip } from './random-horizontal-flip';
export { toFloat } from './to-float';
export type { Transform } from './transform';
