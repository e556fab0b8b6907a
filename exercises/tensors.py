"""Student exercise for 01_tensors: Tensors: multi-dimensional arrays.

The same exercises as the notebook tensors.ipynb. Write each body marked YOUR CODE HERE,
then check your work with `pytest test_tensors.py`.
"""

from selfcheck.quiet import quiet_start

with quiet_start():  # TensorFlow's start-up messages stay out of the output
    import tensorflow as tf


def table():
    """The 3x5 table of the deck.

    Returns:
        An int32 tensor of shape (3, 5).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def describe(t):
    """Shape, rank, size and dtype of a tensor as plain Python values.

    Args:
        t: a tensor, tf.Variable, NumPy array or nested list.

    Returns:
        {"shape": tuple of ints, "rank": int, "size": int, "dtype": str}.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def pick(t, row, col):
    """The element t[row, col] of a 2-D tensor (negative indices count from the end).

    Returns:
        A scalar tensor with the dtype of `t`.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def column(t, j):
    """Column j of a 2-D tensor (negative j counts from the end).

    Returns:
        A 1-D tensor of shape (R,) with the dtype of `t`.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def first_image(images):
    """The first image of a batch.

    Args:
        images: a batch of shape (N, H, W).

    Returns:
        A tensor of shape (H, W) with the dtype of `images`.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def flatten_images(images):
    """Every image of a batch as one row, read row by row.

    Args:
        images: a batch of shape (N, H, W).

    Returns:
        A tensor of shape (N, H * W) with the dtype of `images`.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def scale_pixels(images):
    """uint8 pixel values 0..255 scaled to floats in [0, 1].

    Args:
        images: a uint8 tensor or array of any shape.

    Returns:
        A float32 tensor of the same shape: images / 255.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def column_means(t):
    """The mean of every column of a 2-D tensor, in float32.

    Args:
        t: a 2-D tensor (R, C) of any numeric dtype.

    Returns:
        A float32 tensor of shape (C,).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def stack(matrices):
    """K matrices of equal shape (R, C) stacked along a new first axis.

    Args:
        matrices: a list of K tensors, arrays or nested lists, each of shape (R, C).

    Returns:
        A tensor of shape (K, R, C); entry k is matrices[k].
    """
    # YOUR CODE HERE
    raise NotImplementedError()
