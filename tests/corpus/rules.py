"""03_rules_vs_learning: wrong answers students give, and right answers written differently."""

from corpus.variant import Variant

CALLERS = {}

MUTANTS = (
    # rule_status
    Variant("rule_status", "<= 4 instead of < 4", replace=(("speed < 4", "speed <= 4"),)),
    Variant(
        "rule_status",
        "returns the bool comparison",
        source="def rule_status(speed):\n    return tf.convert_to_tensor(speed) >= 4\n",
    ),
    Variant(
        "rule_status",
        "NumPy where: an int64 NumPy array",
        source="def rule_status(speed):\n    return np.where(np.asarray(speed) < 4, WALKING, RUNNING)\n",
    ),
    Variant(
        "rule_status",
        "cast to int64",
        source="def rule_status(speed):\n    return tf.cast(tf.convert_to_tensor(speed) >= 4, tf.int64)\n",
    ),
    Variant(
        "rule_status",
        "flattens the speeds",
        replace=(
            ("speed = tf.convert_to_tensor(speed)", "speed = tf.reshape(tf.convert_to_tensor(speed), [-1])"),
        ),
    ),
    Variant("rule_status", "threshold 5 km/h", replace=(("speed < 4", "speed < 5"),)),
    Variant(
        "rule_status",
        "WALKING and RUNNING swapped",
        replace=(
            (
                "tf.constant(WALKING, tf.int32), tf.constant(RUNNING, tf.int32)",
                "tf.constant(RUNNING, tf.int32), tf.constant(WALKING, tf.int32)",
            ),
        ),
    ),
    Variant(
        "rule_status",
        "Python if on the tensor",
        source="def rule_status(speed):\n    if speed < 4:\n        return tf.constant(WALKING)\n"
        "    return tf.constant(RUNNING)\n",
    ),
    # rule_accuracy
    Variant(
        "rule_accuracy",
        "integer mean of the matches",
        replace=(("tf.cast(predicted == labels, tf.float64)", "tf.cast(predicted == labels, tf.int32)"),),
    ),
    Variant(
        "rule_accuracy",
        "returns a tensor, not a Python float",
        replace=(
            (
                "return float(tf.reduce_mean(tf.cast(predicted == labels, tf.float64)))",
                "return tf.reduce_mean(tf.cast(predicted == labels, tf.float64))",
            ),
        ),
    ),
    Variant(
        "rule_accuracy",
        "counts the matches instead of averaging",
        replace=(("tf.reduce_mean(", "tf.reduce_sum("),),
    ),
    Variant(
        "rule_accuracy",
        "always measures rule_status, ignoring rule",
        replace=(("rule(speeds)", "rule_status(speeds)"),),
    ),
    Variant(
        "rule_accuracy",
        "the error rate instead of the accuracy",
        replace=(("predicted == labels", "predicted != labels"),),
    ),
    Variant(
        "rule_accuracy",
        "no casts: int64 predictions against int32 labels",
        source="def rule_accuracy(speeds, labels, rule):\n"
        "    matches = tf.equal(rule(speeds), labels)\n"
        "    return float(tf.reduce_mean(tf.cast(matches, tf.float32)))\n",
    ),
    # learn_threshold
    Variant(
        "learn_threshold",
        "ties go to the largest candidate",
        replace=(
            (
                "return float(candidates[int(np.argmax(correct))])",
                "return float(candidates[len(correct) - 1 - int(np.argmax(correct[::-1]))])",
            ),
        ),
    ),
    Variant(
        "learn_threshold",
        "min(speeds) - 1 left out",
        replace=(("[[distinct[0] - 1.0], (distinct[:-1]", "[(distinct[:-1]"),),
    ),
    Variant(
        "learn_threshold",
        "max(speeds) + 1 left out",
        replace=(
            (
                "(distinct[:-1] + distinct[1:]) / 2.0, [distinct[-1] + 1.0]]",
                "(distinct[:-1] + distinct[1:]) / 2.0]",
            ),
        ),
    ),
    Variant(
        "learn_threshold",
        "the speeds themselves as candidates",
        replace=(("(distinct[:-1] + distinct[1:]) / 2.0", "distinct"),),
    ),
    Variant(
        "learn_threshold",
        "speeds not sorted: midpoints in data order",
        replace=(("distinct = np.unique(s)", "distinct = s"),),
    ),
    Variant(
        "learn_threshold",
        "RUNNING predicted below the threshold",
        replace=(("s[None, :] >= candidates[:, None]", "s[None, :] < candidates[:, None]"),),
    ),
    Variant(
        "learn_threshold",
        "returns a tensor",
        replace=(
            (
                "return float(candidates[int(np.argmax(correct))])",
                "return tf.constant(candidates[int(np.argmax(correct))])",
            ),
        ),
    ),
    Variant(
        "learn_threshold",
        "min - 0.5 and max + 0.5 at the ends",
        replace=(("distinct[0] - 1.0", "distinct[0] - 0.5"), ("distinct[-1] + 1.0", "distinct[-1] + 0.5")),
    ),
    # learn_two_thresholds
    Variant(
        "learn_two_thresholds",
        "ties keep the last pair (>=)",
        replace=(("if correct[j] > best_correct:", "if correct[j] >= best_correct:"),),
    ),
    Variant(
        "learn_two_thresholds", "t2 below t1 allowed", replace=(("t2 = candidates[i:]", "t2 = candidates"),)
    ),
    Variant(
        "learn_two_thresholds",
        "t1 == t2 not allowed",
        replace=(
            ("t2 = candidates[i:]", "t2 = candidates[i + 1:]\n        if len(t2) == 0:\n            break"),
        ),
    ),
    Variant(
        "learn_two_thresholds",
        "RUNNING and BIKING swapped",
        replace=(("RUNNING, BIKING))", "BIKING, RUNNING))"),),
    ),
    Variant(
        "learn_two_thresholds",
        "one threshold at a time (greedy)",
        source="def learn_two_thresholds(speeds, labels):\n"
        "    s = np.asarray(speeds, dtype=np.float64).reshape(-1)\n"
        "    y = np.asarray(labels).reshape(-1)\n"
        "    t1 = learn_threshold(s, (y != WALKING).astype(np.int32))\n"
        "    t2 = learn_threshold(s, (y == BIKING).astype(np.int32))\n"
        "    return t1, max(t1, t2)\n",
    ),
    # A scalar where a vector belongs and the reverse, and odd values; each names the check
    # that must catch it.
    Variant(
        "rule_status",
        "one label for all speeds, decided on their mean",
        source="def rule_status(speed):\n"
        "    speed = tf.convert_to_tensor(speed)\n"
        "    label = WALKING if float(tf.reduce_mean(speed)) < 4 else RUNNING\n"
        "    return tf.constant(label, tf.int32)\n",
        caught_by=("rule_status.values",),
    ),
    Variant(
        "rule_status",
        "a complex tensor",
        replace=(
            ("return tf.where(", "return tf.cast(tf.where("),
            ("tf.constant(RUNNING, tf.int32))", "tf.constant(RUNNING, tf.int32)), tf.complex64)"),
        ),
        caught_by=("rule_status.values",),
    ),
    Variant(
        "rule_status",
        "np.append's result discarded: an empty array",
        source="def rule_status(speed):\n"
        "    labels = np.array([], dtype=np.int32)\n"
        "    for s in np.asarray(speed).reshape(-1):\n"
        "        np.append(labels, WALKING if s < 4 else RUNNING)\n"
        "    return labels\n",
        caught_by=("rule_status.values",),
    ),
    Variant(
        "rule_status",
        "a generator expression",
        source="def rule_status(speed):\n"
        "    return (WALKING if s < 4 else RUNNING for s in np.asarray(speed).reshape(-1))\n",
        caught_by=("rule_status.values",),
    ),
    Variant(
        "rule_accuracy",
        "the per-point matches (a vector) instead of their mean",
        replace=(
            (
                "return float(tf.reduce_mean(tf.cast(predicted == labels, tf.float64)))",
                "return tf.cast(predicted == labels, tf.float64)",
            ),
        ),
        caught_by=("rule_accuracy.values",),
    ),
    Variant(
        "rule_accuracy",
        "a formatted percentage string",
        replace=(
            (
                "return float(tf.reduce_mean(tf.cast(predicted == labels, tf.float64)))",
                'return f"{float(tf.reduce_mean(tf.cast(predicted == labels, tf.float64))):.1%}"',
            ),
        ),
        caught_by=("rule_accuracy.values",),
    ),
)

ALTERNATES = (
    Variant(
        "rule_status",
        "cast of the comparison",
        source="def rule_status(speed):\n    return tf.cast(tf.convert_to_tensor(speed) >= 4, tf.int32)\n",
    ),
    Variant(
        "rule_status",
        "tf.where with Python ints and tf.math.less",
        source="def rule_status(speed):\n"
        "    speed = tf.convert_to_tensor(speed)\n"
        "    return tf.where(tf.math.less(speed, tf.constant(4, speed.dtype)), WALKING, RUNNING)\n",
    ),
    Variant(
        "rule_accuracy",
        "NumPy",
        source="def rule_accuracy(speeds, labels, rule):\n"
        "    predicted = np.asarray(rule(speeds)).reshape(-1)\n"
        "    return float(np.mean(predicted == np.asarray(labels).reshape(-1)))\n",
    ),
    Variant(
        "rule_accuracy",
        "a Python loop",
        source="def rule_accuracy(speeds, labels, rule):\n"
        "    predicted = np.asarray(rule(speeds)).reshape(-1).tolist()\n"
        "    truth = np.asarray(labels).reshape(-1).tolist()\n"
        "    right = 0\n"
        "    for p, t in zip(predicted, truth):\n"
        "        if int(p) == int(t):\n"
        "            right += 1\n"
        "    return right / len(truth)\n",
    ),
    Variant(
        "rule_accuracy",
        "tf.equal on int32, float32 mean",
        source="def rule_accuracy(speeds, labels, rule):\n"
        "    same = tf.equal(tf.cast(rule(speeds), tf.int32), tf.cast(labels, tf.int32))\n"
        "    return float(tf.reduce_mean(tf.cast(same, tf.float32)))\n",
    ),
    Variant(
        "learn_threshold",
        "a Python loop over sorted(set(...))",
        source="def learn_threshold(speeds, labels):\n"
        "    s = np.asarray(speeds, dtype=np.float64).reshape(-1)\n"
        "    y = np.asarray(labels).reshape(-1)\n"
        "    distinct = sorted(set(s.tolist()))\n"
        "    candidates = [distinct[0] - 1]\n"
        "    for a, b in zip(distinct[:-1], distinct[1:]):\n"
        "        candidates.append((a + b) / 2)\n"
        "    candidates.append(distinct[-1] + 1)\n"
        "    best, best_acc = None, -1.0\n"
        "    for t in candidates:\n"
        "        acc = np.mean(np.where(s >= t, RUNNING, WALKING) == y)\n"
        "        if acc > best_acc:\n"
        "            best, best_acc = t, acc\n"
        "    return float(best)\n",
    ),
    Variant(
        "learn_threshold",
        "TensorFlow ops in float32",
        source="def learn_threshold(speeds, labels):\n"
        "    s = tf.cast(tf.reshape(speeds, [-1]), tf.float32)\n"
        "    y = tf.cast(tf.reshape(labels, [-1]), tf.int32)\n"
        "    d = tf.sort(tf.unique(s).y)\n"
        "    c = tf.concat([d[:1] - 1.0, (d[:-1] + d[1:]) / 2.0, d[-1:] + 1.0], axis=0)\n"
        "    pred = tf.where(s[None, :] >= c[:, None], RUNNING, WALKING)\n"
        "    correct = tf.reduce_sum(tf.cast(pred == y[None, :], tf.int32), axis=1)\n"
        "    return float(c[int(tf.argmax(correct))])\n",
    ),
    Variant(
        "learn_threshold",
        "midpoints of every sorted speed, repeats included",
        replace=(("distinct = np.unique(s)", "distinct = np.sort(s)"),),
    ),
    Variant(
        "learn_two_thresholds",
        "a double loop over the pairs",
        source="def learn_two_thresholds(speeds, labels):\n"
        "    s = np.asarray(speeds, dtype=np.float64).reshape(-1)\n"
        "    y = np.asarray(labels).reshape(-1)\n"
        "    d = np.unique(s)\n"
        "    c = [d[0] - 1] + list((d[:-1] + d[1:]) / 2) + [d[-1] + 1]\n"
        "    best, best_acc = None, -1.0\n"
        "    for i in range(len(c)):\n"
        "        for j in range(i, len(c)):\n"
        "            pred = np.where(s < c[i], WALKING, np.where(s < c[j], RUNNING, BIKING))\n"
        "            acc = np.mean(pred == y)\n"
        "            if acc > best_acc:\n"
        "                best, best_acc = (float(c[i]), float(c[j])), acc\n"
        "    return best\n",
    ),
    Variant(
        "learn_two_thresholds",
        "counts per class and one argmax over all pairs",
        source="def learn_two_thresholds(speeds, labels):\n"
        "    s = np.asarray(speeds, dtype=np.float64).reshape(-1)\n"
        "    y = np.asarray(labels).reshape(-1)\n"
        "    d = np.unique(s)\n"
        "    c = np.concatenate([[d[0] - 1], (d[:-1] + d[1:]) / 2, [d[-1] + 1]])\n"
        "    below = s[None, :] < c[:, None]\n"
        "    walk_below = (below & (y == WALKING)).sum(axis=1)\n"
        "    run_below = (below & (y == RUNNING)).sum(axis=1)\n"
        "    bike_above = (~below & (y == BIKING)).sum(axis=1)\n"
        "    correct = walk_below[:, None] - run_below[:, None] + run_below[None, :] + bike_above[None, :]\n"
        "    correct = np.where(np.triu(np.ones((len(c), len(c)), bool)), correct, -1)\n"
        "    i, j = np.unravel_index(int(np.argmax(correct)), correct.shape)\n"
        "    return float(c[i]), float(c[j])\n",
    ),
    Variant(
        "learn_two_thresholds",
        "TensorFlow, every pair at once",
        source="def learn_two_thresholds(speeds, labels):\n"
        "    s = tf.cast(tf.reshape(speeds, [-1]), tf.float64)\n"
        "    y = tf.cast(tf.reshape(labels, [-1]), tf.int32)\n"
        "    d = tf.sort(tf.unique(s).y)\n"
        "    c = tf.concat([d[:1] - 1.0, (d[:-1] + d[1:]) / 2.0, d[-1:] + 1.0], axis=0)\n"
        "    k = int(c.shape[0])\n"
        "    t1, t2 = c[:, None, None], c[None, :, None]\n"
        "    pred = tf.where(s < t1, WALKING, tf.where(s < t2, RUNNING, BIKING))\n"
        "    correct = tf.reduce_sum(tf.cast(pred == y, tf.int32), axis=2)\n"
        "    allowed = tf.linalg.band_part(tf.ones((k, k), tf.bool), 0, -1)\n"
        "    correct = tf.where(allowed, correct, -1)\n"
        "    flat = int(tf.argmax(tf.reshape(correct, [-1])))\n"
        "    return float(c[flat // k]), float(c[flat % k])\n",
    ),
)
