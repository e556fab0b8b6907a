"""Reference solution for 03_rules_vs_learning: The promise of ML: rules or learning.

Generated from source/03_rules_vs_learning/rules.ipynb by `python -m graders build`: edit the
notebook, not this file.
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
    speed = tf.convert_to_tensor(speed)
    return tf.where(speed < 4, tf.constant(WALKING, tf.int32), tf.constant(RUNNING, tf.int32))


def rule_accuracy(speeds, labels, rule):
    """The fraction of points where rule(speeds) equals labels.

    Args:
        speeds: speeds in km/h, shape (N,).
        labels: the true labels, shape (N,).
        rule: a function mapping speeds to one label per speed.

    Returns:
        A Python float between 0 and 1.
    """
    predicted = tf.cast(rule(speeds), tf.int64)
    labels = tf.cast(labels, tf.int64)
    return float(tf.reduce_mean(tf.cast(predicted == labels, tf.float64)))


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
    s = np.asarray(speeds, dtype=np.float64).reshape(-1)
    y = np.asarray(labels).reshape(-1)
    distinct = np.unique(s)
    candidates = np.concatenate(
        [[distinct[0] - 1.0], (distinct[:-1] + distinct[1:]) / 2.0, [distinct[-1] + 1.0]]
    )
    # One row per candidate: the prediction for every point.
    predicted = np.where(s[None, :] >= candidates[:, None], RUNNING, WALKING)
    correct = (predicted == y[None, :]).sum(axis=1)
    return float(candidates[int(np.argmax(correct))])  # argmax: the first (smallest) best


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
    s = np.asarray(speeds, dtype=np.float64).reshape(-1)
    y = np.asarray(labels).reshape(-1)
    distinct = np.unique(s)
    candidates = np.concatenate(
        [[distinct[0] - 1.0], (distinct[:-1] + distinct[1:]) / 2.0, [distinct[-1] + 1.0]]
    )
    best_correct, best = -1, None
    for i, t1 in enumerate(candidates):
        t2 = candidates[i:]  # every t2 >= t1 at once, one row each
        predicted = np.where(s[None, :] < t1, WALKING,
                             np.where(s[None, :] < t2[:, None], RUNNING, BIKING))
        correct = (predicted == y[None, :]).sum(axis=1)
        j = int(np.argmax(correct))  # the smallest t2 among the best
        if correct[j] > best_correct:  # strictly better: ties keep the smaller t1
            best_correct, best = int(correct[j]), (float(t1), float(t2[j]))
    return best
