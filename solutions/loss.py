"""Reference solution for 05_loss: Transform, calculate the error, take the derivative.

Generated from source/05_loss/loss.ipynb by `python -m graders build`: edit the
notebook, not this file.
"""

from selfcheck.quiet import quiet_start

with quiet_start():  # TensorFlow's start-up messages stay out of the output
    import numpy as np
    import tensorflow as tf


def predict(x, w, b):
    """Linear model y = x @ w + b.

    Args:
        x: inputs, shape (N, D).
        w: weights, shape (D, 1).
        b: bias, shape (1,).

    Returns:
        Predictions, shape (N, 1), in the dtype of `x`.
    """
    x = tf.convert_to_tensor(x)
    w = tf.convert_to_tensor(w, dtype=x.dtype)
    b = tf.convert_to_tensor(b, dtype=x.dtype)
    return x @ w + b


def mean_squared_error(y_true, y_pred):
    """Mean over every element of (y_true - y_pred) ** 2.

    Args:
        y_true: targets; cast to the dtype of `y_pred`.
        y_pred: predictions, same shape as `y_true`.

    Returns:
        A scalar tensor in the dtype of `y_pred`.

    Raises:
        ValueError: if the two shapes differ (nothing is broadcast).
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has shape {tuple(y_true.shape)} but y_pred has shape "
            f"{tuple(y_pred.shape)}: the shapes must be equal"
        )
    return tf.reduce_mean(tf.square(y_true - y_pred))


def mse_gradients(x, y, w, b):
    """Gradients of the MSE of predict(x, w, b) against y, derived by hand.

    With e = predict(x, w, b) - y: dw = (2/N) x^T e and db = (2/N) sum(e).

    Returns:
        (dw, db) with shapes (D, 1) and (1,).

    Raises:
        ValueError: if y is not shaped (N, 1) like the predictions.
    """
    x = tf.convert_to_tensor(x)
    y = tf.cast(tf.convert_to_tensor(y), x.dtype)
    pred = predict(x, w, b)
    if y.shape != pred.shape:
        raise ValueError(
            f"y has shape {tuple(y.shape)} but the predictions have shape "
            f"{tuple(pred.shape)}: y must be shaped (N, 1)"
        )
    e = pred - y
    n = tf.cast(tf.shape(x)[0], x.dtype)
    dw = (2.0 / n) * tf.transpose(x) @ e
    db = (2.0 / n) * tf.reduce_sum(e, axis=0)
    return dw, db


def numeric_gradient(f, w, eps=1e-3):
    """Central-difference estimate of the gradient of the scalar function f at w.

    Element i of the result is (f(w + eps*e_i) - f(w - eps*e_i)) / (2*eps).

    Returns:
        A tensor shaped like `w`.
    """
    w = tf.convert_to_tensor(w)
    flat = tf.reshape(w, [-1])
    size = int(flat.shape[0])
    slopes = []
    for i in range(size):
        step = tf.one_hot(i, size, dtype=w.dtype) * eps
        f_plus = tf.cast(f(tf.reshape(flat + step, tf.shape(w))), w.dtype)
        f_minus = tf.cast(f(tf.reshape(flat - step, tf.shape(w))), w.dtype)
        slopes.append((f_plus - f_minus) / (2.0 * eps))
    if not slopes:
        return tf.zeros_like(w)
    return tf.reshape(tf.stack(slopes), tf.shape(w))
