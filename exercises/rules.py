"""Student exercise for 03_rules_vs_learning: The promise of ML: rules or learning.

The same exercises as the notebook rules.ipynb. Write each body marked YOUR CODE HERE,
then check your work with `pytest test_rules.py`.
"""

from selfcheck.quiet import quiet_start

with quiet_start():  # TensorFlow's start-up messages stay out of the output
    import numpy as np
    import tensorflow as tf


WALKING = 0
RUNNING = 1
BIKING = 2


def make_activity_data(n, seed, classes=2):
    """PROVIDED. Labelled speed measurements, deterministic for a seed.

    Args:
        n: number of measurements.
        seed: seed of the NumPy generator.
        classes: 2 (walking, running) or 3 (walking, running, biking).

    Returns:
        (speeds, labels): speeds float32 (n,) in km/h, labels int32 (n,).
    """
    if classes not in (2, 3):
        raise ValueError(f"classes must be 2 or 3, not {classes!r}")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    typical = np.array([3.2, 8.0, 16.0])  # km/h for WALKING, RUNNING, BIKING
    spread = np.array([0.8, 2.0, 4.0])
    speeds = rng.normal(typical[labels], spread[labels])
    speeds = np.clip(np.round(speeds, 1), 0.5, None)
    return tf.constant(speeds, dtype=tf.float32), tf.constant(labels, dtype=tf.int32)


def rule_status(speed):
    """The deck's rule: WALKING where speed < 4 km/h, RUNNING everywhere else.

    Args:
        speed: speeds in km/h, any shape.

    Returns:
        An int32 tensor shaped like `speed`.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def rule_accuracy(speeds, labels, rule):
    """The fraction of points where rule(speeds) equals labels.

    Args:
        speeds: speeds in km/h, shape (N,).
        labels: the true labels, shape (N,).
        rule: a function mapping speeds to one label per speed.

    Returns:
        A Python float between 0 and 1.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def learn_threshold(speeds, labels):
    """The threshold with the highest accuracy on labelled walking/running data.

    Candidates are the midpoints between consecutive distinct sorted speeds, plus
    min(speeds) - 1 and max(speeds) + 1. RUNNING is predicted where speed >= threshold.

    Args:
        speeds: speeds in km/h, shape (N,).
        labels: WALKING or RUNNING for each speed, shape (N,).

    Returns:
        The best candidate as a Python float (the smallest one if several tie).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def learn_two_thresholds(speeds, labels):
    """The pair t1 <= t2 with the highest accuracy on labelled data of three activities.

    WALKING is predicted where speed < t1, RUNNING where t1 <= speed < t2 and BIKING
    where speed >= t2; both thresholds come from the candidates of learn_threshold.

    Args:
        speeds: speeds in km/h, shape (N,).
        labels: WALKING, RUNNING or BIKING for each speed, shape (N,).

    Returns:
        (t1, t2) as Python floats (the smallest t1, then the smallest t2, if several tie).
    """
    # YOUR CODE HERE
    raise NotImplementedError()
