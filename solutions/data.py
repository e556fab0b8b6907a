"""Reference solution for 04_data: Data points, features and labels.

Generated from source/04_data/data.ipynb by `python -m graders build`: edit the
notebook, not this file.
"""

from selfcheck.quiet import quiet_start

with quiet_start():  # TensorFlow's start-up messages stay out of the output
    import numpy as np
    import tensorflow as tf


def load_table(path):
    """Reads a CSV file with a header line into a float32 tensor.

    Args:
        path: path of the CSV file, as a str.

    Returns:
        A float32 tensor (N, 4): one row per data line, the header skipped.
    """
    rows = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
    return tf.constant(rows)


def split_features_labels(table):
    """Separates the feature columns from the label column (the last one).

    Args:
        table: data of shape (N, C).

    Returns:
        (features, labels): features (N, C - 1) and labels (N,), in the dtype of `table`.
    """
    table = tf.convert_to_tensor(table)
    return table[:, :-1], table[:, -1]


def standardize(features):
    """Per-column z-score with the population standard deviation.

    Args:
        features: data of shape (N, F).

    Returns:
        (scaled, mean, std): scaled (N, F), mean (F,) and std (F,), in the dtype of
        `features`; std is 1.0 for a constant column.
    """
    x = tf.convert_to_tensor(features)
    mean = tf.reduce_mean(x, axis=0)
    std = tf.sqrt(tf.reduce_mean(tf.square(x - mean), axis=0))
    constant = tf.reduce_max(x, axis=0) == tf.reduce_min(x, axis=0)
    std = tf.where(constant, tf.ones_like(std), std)
    return (x - mean) / std, mean, std


def apply_standardize(features, mean, std):
    """Scales features with a given mean and standard deviation.

    Args:
        features: data of shape (N, F).
        mean: shape (F,).
        std: shape (F,).

    Returns:
        (features - mean) / std, shape (N, F), in the dtype of `features`.
    """
    x = tf.convert_to_tensor(features)
    return (x - tf.cast(mean, x.dtype)) / tf.cast(std, x.dtype)


def train_test_split(features, labels, test_fraction, seed):
    """Shuffles the rows with a seeded permutation and splits them into train and test.

    Which rows go where (the checks compare exact rows):
        perm = np.random.default_rng(seed).permutation(N), where N is the number of rows;
        n_test = int(N * test_fraction), rounded down by int();
        the test rows are perm[:n_test] and the train rows perm[n_test:], each in that order.
    Labels are taken from the same rows as the features, so each stays with its data point.

    Args:
        features: data of shape (N, F).
        labels: labels of shape (N,).
        test_fraction: the share of rows for the test part (int(N * test_fraction) rows).
        seed: seed of numpy.random.default_rng.

    Returns:
        (x_train, x_test, y_train, y_test).
    """
    x = tf.convert_to_tensor(features)
    y = tf.convert_to_tensor(labels)
    n = int(x.shape[0])
    perm = np.random.default_rng(seed).permutation(n)
    n_test = int(n * test_fraction)
    test_rows, train_rows = perm[:n_test], perm[n_test:]
    return tf.gather(x, train_rows), tf.gather(x, test_rows), tf.gather(y, train_rows), tf.gather(y, test_rows)


def make_batches(features, labels, batch_size):
    """A tf.data.Dataset of (x, y) batches in row order, the last partial batch kept.

    Args:
        features: data of shape (N, F).
        labels: labels of shape (N,).
        batch_size: rows per batch.

    Returns:
        A tf.data.Dataset of (x, y) pairs: x (B, F) and y (B,), B <= batch_size.
    """
    features = tf.convert_to_tensor(features)
    labels = tf.convert_to_tensor(labels)
    return tf.data.Dataset.from_tensor_slices((features, labels)).batch(batch_size)
