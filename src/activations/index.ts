/**
 * Every activation, one line each. Adding an activation means adding its
 * file next to this one and a line here (plus its typed op in src/ops.ts).
 */
export {celu} from './celu';
export {elu} from './elu';
export {exponential} from './exponential';
export {gelu} from './gelu';
export {glu} from './glu';
export {hardShrink} from './hard_shrink';
export {hardSigmoid} from './hard_sigmoid';
export {hardSilu} from './hard_silu';
export {hardTanh} from './hard_tanh';
export {leakyRelu} from './leaky_relu';
export {linear} from './linear';
export {logSigmoid} from './log_sigmoid';
export {logSoftmax} from './log_softmax';
export {mish} from './mish';
export {relu} from './relu';
export {relu6} from './relu6';
export {selu} from './selu';
export {sigmoid} from './sigmoid';
export {silu} from './silu';
export {softmax} from './softmax';
export {softplus} from './softplus';
export {softShrink} from './soft_shrink';
export {softsign} from './softsign';
export {sparsemax} from './sparsemax';
export {sparsePlus} from './sparse_plus';
export {sparseSigmoid} from './sparse_sigmoid';
export {squareplus} from './squareplus';
export {tanh} from './tanh';
export {tanhShrink} from './tanh_shrink';
export {threshold} from './threshold';
