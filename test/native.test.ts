/**
 * The tensorflow backend with the package's native op library
 * (build/native/tfa_ops.node, built by the setup): the whole tensorflow
 * suite again (every activation, parameter variant and axis case against the
 * float64 truth, one libtensorflow launch per kernel, tf.grad of tf.grad, a
 * model round trip, leaks), see test/tensorflow.test.ts.
 */
(globalThis as {tfaNativeSuite?: boolean}).tfaNativeSuite = true;
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./tensorflow.test');
