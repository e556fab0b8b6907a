"""Reference solution for 06_gradient_tape: GradientTape and a linear classifier.

Generated from source/06_gradient_tape/gradient_tape.ipynb by `python -m graders build`: edit the
notebook, not this file.
"""

from selfcheck.quiet import quiet_start

with quiet_start():  # TensorFlow's start-up messages stay out of the output
    import numpy as np
    import tensorflow as tf


def predict(x, w, b):
    """PROVIDED. Linear model y = x @ w + b, in the dtype of `x`."""
    x = tf.convert_to_tensor(x)
    w = tf.convert_to_tensor(w, dtype=x.dtype)
    b = tf.convert_to_tensor(b, dtype=x.dtype)
    return x @ w + b


def mean_squared_error(y_true, y_pred):
    """PROVIDED. Mean of (y_true - y_pred) ** 2; ValueError if the shapes differ."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has shape {tuple(y_true.shape)} but y_pred has shape "
            f"{tuple(y_pred.shape)}: the shapes must be equal"
        )
    return tf.reduce_mean(tf.square(y_true - y_pred))


def make_blobs(n_per_class, seed):
    """Two Gaussian blobs: class 0 around (0, 3), class 1 around (3, 0).

    The draws, in this order (the checks compare exact values), with n = n_per_class and
    cov = [[1, 0.5], [0.5, 1]]:
        rng = np.random.default_rng(seed);
        class 0: rng.multivariate_normal([0, 3], cov, size=n);
        then class 1, from the same rng: rng.multivariate_normal([3, 0], cov, size=n).
    x stacks the n rows of class 0, then the n rows of class 1, as float32; y holds n zeros,
    then n ones, as a float32 column.

    Returns:
        (x, y): x float32 (2n, 2) with class 0 first, y float32 (2n, 1) of 0s then 1s.
    """
    rng = np.random.default_rng(seed)
    cov = [[1.0, 0.5], [0.5, 1.0]]
    class0 = rng.multivariate_normal([0.0, 3.0], cov, size=n_per_class)
    class1 = rng.multivariate_normal([3.0, 0.0], cov, size=n_per_class)
    x = np.vstack([class0, class1]).astype(np.float32)
    y = np.concatenate([np.zeros(n_per_class), np.ones(n_per_class)])
    return tf.constant(x), tf.constant(y.astype(np.float32).reshape(-1, 1))


def gradients(x, y, w, b):
    """Gradients of the MSE of predict(x, w, b) against y, with tf.GradientTape.

    The loss mean_squared_error(y, predict(x, w, b)) is computed inside a tf.GradientTape,
    then the tape gives its gradients with respect to [w, b].

    Args:
        w: tf.Variable (D, 1).  b: tf.Variable (1,).

    Returns:
        (dw, db), shaped like w and b.
    """
    with tf.GradientTape() as tape:
        loss = mean_squared_error(y, predict(x, w, b))
    dw, db = tape.gradient(loss, [w, b])
    return dw, db


def minimize_loss(x, y, w, b, learning_rate):
    """One gradient-descent step on w and b (updated in place).

    Inside a tf.GradientTape: the loss mean_squared_error(y, predict(x, w, b)). After the
    block: dw and db, the tape's gradients of that loss with respect to [w, b]; then
    w.assign_sub(learning_rate * dw) and b.assign_sub(learning_rate * db). Nothing else
    changes.

    Returns:
        The loss computed before the update.
    """
    with tf.GradientTape() as tape:
        loss = mean_squared_error(y, predict(x, w, b))
    dw, db = tape.gradient(loss, [w, b])
    w.assign_sub(learning_rate * dw)
    b.assign_sub(learning_rate * db)
    return loss


def train(x, y, steps, learning_rate):
    """Full-batch training of a linear model from zero weights.

    w starts as a tf.Variable of zeros (D, 1) and b as a tf.Variable of zeros (1,), both in
    the dtype of x (D is the number of columns of x); then minimize_loss(x, y, w, b,
    learning_rate) is called `steps` times, always on all of x and y.

    Returns:
        (w, b, losses): tf.Variables w (D, 1) and b (1,) in the dtype of x, and a
        1-D tensor of the `steps` losses returned by minimize_loss.
    """
    x = tf.convert_to_tensor(x)
    w = tf.Variable(tf.zeros((x.shape[1], 1), dtype=x.dtype))
    b = tf.Variable(tf.zeros((1,), dtype=x.dtype))
    losses = [minimize_loss(x, y, w, b, learning_rate) for _ in range(steps)]
    if not losses:
        return w, b, tf.zeros((0,), dtype=x.dtype)
    return w, b, tf.stack(losses)


def accuracy(y_true, y_score, threshold=0.5):
    """Fraction of points where (y_score > threshold) equals (y_true > 0.5).

    Both arguments hold N values shaped (N,) or (N, 1): they are flattened, never
    broadcast.

    Returns:
        A Python float.
    """
    truth = tf.reshape(tf.cast(y_true, tf.float64), [-1]) > 0.5
    guess = tf.reshape(tf.cast(y_score, tf.float64), [-1]) > threshold
    if truth.shape != guess.shape:
        raise ValueError(
            f"y_true holds {truth.shape[0]} values but y_score holds {guess.shape[0]}"
        )
    return float(tf.reduce_mean(tf.cast(truth == guess, tf.float64)))


def decision_line(w, b, threshold=0.5):
    """The boundary w0*x0 + w1*x1 + b = threshold written as x1 = slope*x0 + intercept.

    Returns:
        (slope, intercept) as Python floats.

    Raises:
        ValueError: if w1 == 0 (the boundary is vertical).
    """
    w0, w1 = (float(v) for v in np.asarray(w, dtype=np.float64).reshape(-1))
    b0 = float(np.asarray(b, dtype=np.float64).reshape(-1)[0])
    if w1 == 0.0:
        raise ValueError("w1 is 0: the decision boundary is vertical and has no slope")
    return -w0 / w1, (threshold - b0) / w1
