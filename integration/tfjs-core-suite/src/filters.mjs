// Which of tfjs-core's specs each backend runs, as tfjs's own backend packages choose them (facts taken
// from tfjs-backend-wasm/src/setup_test.ts and tfjs-backend-webgpu/src/setup_test.ts at tfjs-v4.22.0;
// tfjs-backend-cpu runs every spec). A rule selects the specs whose full name contains `include` (or
// starts with `startsWith`), minus those whose name contains any of `except`. The first rule that selects
// a spec decides it; a spec no rule selects does not run, unless `always` keeps it.

/** @typedef {{ include?: string, startsWith?: string, except?: string[] }} Rule */

const NO_GRADIENT = ['gradient'];

/** tfjs-backend-wasm's list: the ops its kernels implement, minus what they do not support. */
const WASM = [
  {
    startsWith: 'tensor ',
    except: ['complex', 'derivative', 'Tensor2D float32 -> bool', 'Tensor2D int32 -> bool'],
  },
  { include: 'softmax' },
  { include: 'pow', except: NO_GRADIENT },
  { include: 'add ', except: ['gradient', 'upcasts when dtypes dont match', 'complex'] },
  { include: 'depthToSpace' },
  { include: 'avgPool ' },
  {
    include: 'relu',
    except: ['derivative', 'gradient', 'valueAndGradients', 'broadcasted bias', 'fused A x B with 2d bias'],
  },
  { include: 'maxPool', except: ['ignores NaNs'] },
  { include: 'cropAndResize' },
  { include: 'resizeBilinear' },
  { include: 'resizeNearestNeighbor' },
  {
    include: 'matmul ',
    except: [
      'valueAndGradients',
      'gradient',
      'zero in its shape',
      'matmul followed by mul',
      'upcasts',
      'fused A x B with 2d bias',
    ],
  },
  { include: 'depthwiseConv2D ', except: ['broadcasted bias', 'gradient', 'NCHW'] },
  {
    include: 'conv2d ',
    except: [
      'broadcasted bias',
      'gradient',
      'backProp input x=[2,3,3,1] f=[2,2,1,1] s=1 p=0',
      'NCHW',
      'relu bias stride 2 x=[1,8,8,16] f=[3,3,16,1] s=[2,2] d=8 p=same',
      'prelu bias stride 2 x=[1,8,8,16] f=[3,3,16,1] s=[2,2] d=8 p=same',
    ],
  },
  { include: 'conv2dTranspose ', except: NO_GRADIENT },
  { include: 'prelu ', except: ['gradient', 'derivative'] },
  { include: ' cast ', except: ['complex', 'shallow slice an input that was cast'] },
  { include: 'gather', except: NO_GRADIENT },
  { include: 'sigmoid ', except: ['sigmoidCrossEntropy', 'gradient'] },
  { include: 'scatterND ' },
  { include: 'tensorScatterUpdate ' },
  { include: 'abs ', except: ['gradient', 'complex'] },
  { include: 'sub ', except: ['complex', 'gradient', 'upcasts'] },
  { include: 'mul ', except: ['complex', 'gradient'] },
  { include: 'div ', except: ['gradient', 'upcasts', 'divNoNan'] },
  { include: 'batchNorm', except: NO_GRADIENT },
  { include: 'slice ' },
  { include: 'stridedSlice ' },
  { include: 'rotate ' },
  { include: 'rotateWithOffset' },
  { include: 'flipLeftRight ' },
  { include: 'square ' },
  { include: 'squaredDifference' },
  {
    startsWith: 'min ',
    except: ['2D, axis=0', 'index corresponds to start of a non-initial window', 'gradient'],
  },
  { startsWith: 'max ', except: NO_GRADIENT },
  { include: 'concat', except: ['complex', 'gradient'] },
  { include: 'transpose', except: ['accepts complex64 input'] },
  { include: 'oneHot' },
  { include: 'split' },
  { include: 'pad ', except: ['complex', 'zerosLike'] },
  { include: 'clip', except: ['gradient', 'propagates NaNs', 'basic vec4'] },
  { include: 'addN' },
  { include: 'nonMaxSuppression' },
  { include: 'argmax ' },
  { include: 'argmin ' },
  { include: 'exp ' },
  { include: 'elu ' },
  { include: 'unstack' },
  { include: 'minimum', except: ['gradient', 'broadcasts 2x1 Tensor2D and 2x2 Tensor2D'] },
  { include: 'maximum', except: NO_GRADIENT },
  { include: 'log ' },
  { startsWith: 'equal ', except: ['string'] },
  { include: 'greater ', except: ['string'] },
  { include: 'greaterEqual', except: ['gradient', 'string'] },
  { include: 'less ', except: ['string'] },
  { include: 'lessEqual', except: ['gradient', 'string'] },
  { include: 'notEqual', except: ['string'] },
  { include: 'mean ', except: ['axis=0'] },
  { startsWith: 'reverse' },
  { startsWith: 'sum ' },
  { startsWith: 'cumprod' },
  { startsWith: 'cumsum' },
  { startsWith: 'logicalAnd ' },
  { startsWith: 'logicalNot ' },
  { startsWith: 'logicalOr ' },
  { startsWith: 'logicalXor ' },
  { startsWith: 'tile ', except: ['gradient', 'string tensor'] },
  { startsWith: 'erf' },
  { startsWith: 'sin ' },
  { startsWith: 'sinh ' },
  { startsWith: 'cos ', except: NO_GRADIENT },
  { startsWith: 'cosh', except: NO_GRADIENT },
  { startsWith: 'tan', except: NO_GRADIENT },
  { startsWith: 'tanh ', except: NO_GRADIENT },
  { startsWith: 'rsqrt ', except: NO_GRADIENT },
  { startsWith: 'sqrt ', except: NO_GRADIENT },
  { startsWith: 'where ', except: ['1D condition with higher rank a and b', 'gradient'] },
  { startsWith: 'zerosLike', except: ['complex'] },
  { startsWith: 'onesLike', except: ['complex'] },
  ...['prod', 'floor', 'floorDiv', 'topk', 'expandDims', 'stack'].map((include) => ({ include })),
  { include: 'round', except: ['pool'] },
  ...['step kernel', 'ceil', 'mirrorPad'].map((include) => ({ include })),
  { startsWith: 'all', except: ['ignores NaNs'] },
  { startsWith: 'any', except: ['ignores NaNs'] },
  { startsWith: 'sparseToDense', except: ['string'] },
  ...[
    'image.transform',
    'batchToSpaceND',
    'spaceToBatchND',
    'sparseFillEmptyRows',
    'sparseReshape',
    'sparseSegmentMean',
    'sparseSegmentSum',
    'stringNGrams',
    'stringSplit',
    'stringToHashBucketFast',
    'reciprocal',
    'isNaN',
    'atan ',
    'acos ',
    'acosh ',
    'asin ',
    'asinh ',
    'diag ',
    'denseBincount ',
    'bitwiseAnd',
    'broadcastArgs ',
    'searchSorted ',
    'avgPool3d ',
    'avgPool3dBackprop ',
    'upperBound ',
    'lowerBound ',
    'dilation2d ',
    'localResponseNormalization ',
    'log1p ',
    'atan2 ',
    'atanh ',
    'isInf ',
    'isFinite ',
    'sign ',
    'selu ',
    'softplus ',
    'linspace',
    'bincount',
    'expm1 ',
    'multinomial',
    'unique',
    'conv3d',
    'mod ',
  ].map((include) => ({ include })),
];

/** tfjs-backend-webgpu's list: every spec of its environment, minus known failures and unsupported ops. */
const WEBGPU = [
  { startsWith: 'cumsum ', except: NO_GRADIENT },
  { startsWith: 'exp ', except: ['int32'] },
  { startsWith: 'gather ', except: ['throws when index is out of bound'] },
  { startsWith: 'nonMaxSuppression ', except: ['NonMaxSuppressionPadded'] },
  { startsWith: 'prod ', except: ['gradients'] },
  { startsWith: 'cos ', except: ['gradients', 'gradient with clones'] },
  { startsWith: 'tan ', except: ['gradients', 'numbers exceed float32 precision'] },
  { startsWith: 'acosh ', except: ['propagates NaNs', 'gradient with clones'] },
  { startsWith: 'asinh ', except: ['propagates NaNs'] },
  { startsWith: 'atanh ', except: ['propagates NaNs'] },
  { startsWith: 'sigmoid ', except: ['propagates NaNs'] },
  { startsWith: 'unsortedSegmentSum ', except: ['ignores negative segmentIds'] },
  { startsWith: 'log ', except: ['log propagates NaNs'] },
  { startsWith: 'softmax ', except: ['Propagates NaNs'] },
  { startsWith: 'fromPixels ', except: ['HTMLVideoElement', 'canvas and image match'] },
  { startsWith: 'sign ', except: ['basic', 'does not propagate NaNs', 'accepts a tensor-like object'] },
  { startsWith: 'broadcastArgs ', except: ['error'] },
  {
    startsWith: 'tensor.data ',
    except: ['.data() postpones disposal of tensor', 'calling .data() twice works'],
  },
  { startsWith: 'bitwiseAnd', except: ['bitwiseAnd'] },
  { startsWith: 'sparseSegmentMean', except: ['throw error'] },
  { startsWith: 'sparseSegmentSum', except: ['segments invalid', 'indices invalid'] },
  {
    include: ' webgpu ',
    except: [
      'raggedGather ',
      'raggedRange ',
      'raggedTensorToTensor ',
      'method otsu',
      'sparseFillEmptyRows ',
      'sparseReshape ',
      'staticRegexReplace ',
      'stringSplit ',
      'stringToHashBucketFast ',
      'unique ',
    ],
  },
];

/**
 * The test environment and spec selection of each backend, as tfjs's backend packages set them up. The
 * wasm and webgpu packages also run every plain `describe` (not tied to a backend), cpu runs everything.
 * @type {Record<string, { env: { name: string, backendName: string, isDataSync: boolean, flags?: Record<string, unknown> }, rules: Rule[], always: (name: string) => boolean }>}
 */
export const BACKEND_SPECS = {
  cpu: { env: { name: 'cpu', backendName: 'cpu', isDataSync: true }, rules: [], always: () => true },
  wasm: {
    env: { name: 'test-wasm', backendName: 'wasm', isDataSync: true },
    rules: WASM,
    always: (name) => !name.includes('test-wasm') || name.startsWith('wasm'),
  },
  // In Node, Dawn's webgpu has no synchronous read (dataSync needs an OffscreenCanvas), so specs that
  // tfjs marks as needing one are left out by declaring the environment asynchronous.
  webgpu: {
    env: { name: 'webgpu', backendName: 'webgpu', isDataSync: false, flags: { WEBGPU_CPU_FORWARD: false } },
    rules: WEBGPU,
    always: (name) => name.startsWith('webgpu'),
  },
};

/** Whether a spec's full name runs on the backend under its rules. */
export function selected(spec, name) {
  if (spec.always(name)) return true;
  for (const rule of spec.rules) {
    const hit =
      (rule.include !== undefined && name.includes(rule.include)) ||
      (rule.startsWith !== undefined && name.startsWith(rule.startsWith));
    if (hit) return !(rule.except ?? []).some((e) => name.includes(e));
  }
  return false;
}

/**
 * On webgpu CI runs the specs of the op families nntk's layers, losses and optimizers compute with
 * (tfjs's webgpu subset of them): Mesa's software adapter compiles every new shader first, and the whole
 * subset (about 3,600 specs) takes minutes on a loaded 2-core machine. `SUITE_WEBGPU=full` runs all of it.
 */
export const TRAINING_FAMILIES = new RegExp(
  `^(${[
    'conv2d',
    'conv2dTranspose',
    'conv1d',
    'depthwiseConv2D',
    'fused conv2d',
    'fused matmul',
    'matmul',
    'maxPool',
    'avgPool',
    'sum',
    'mean',
    'max',
    'softmax',
    'logSoftmax',
    'relu',
    'elu',
    'leakyRelu',
    'sigmoid',
    'tanh',
    'erf',
    'softplus',
    'gather',
    'unsortedSegmentSum',
    'oneHot',
    'transpose',
    'pad',
    'concat',
    'slice',
    'batchNorm',
    'moments',
    'where',
    'clip',
    'argmax',
    'resizeNearestNeighbor',
  ].join('|')}) `,
);
