"""Student exercise for 05_loss: Transform, calculate the error, take the derivative.

The same exercises as the notebook loss.ipynb. Write each body marked YOUR CODE HERE,
then check your work with `pytest test_loss.py`.
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
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


def mse_gradients(x, y, w, b):
    """Gradients of the MSE of predict(x, w, b) against y, derived by hand.

    With e = predict(x, w, b) - y: dw = (2/N) x^T e and db = (2/N) sum(e).

    Returns:
        (dw, db) with shapes (D, 1) and (1,).

    Raises:
        ValueError: if y is not shaped (N, 1) like the predictions.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def numeric_gradient(f, w, eps=1e-3):
    """Central-difference estimate of the gradient of the scalar function f at w.

    Element i of the result is (f(w + eps*e_i) - f(w - eps*e_i)) / (2*eps).

    Returns:
        A tensor shaped like `w`.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
