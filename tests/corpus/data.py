"""04_data: wrong answers students give, and right answers written differently."""

from corpus.variant import Variant

CALLERS = {}

LOADTXT = 'np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)'
SPLIT = "return tf.gather(x, train_rows), tf.gather(x, test_rows), tf.gather(y, train_rows), tf.gather(y, test_rows)"
BATCH = "tf.data.Dataset.from_tensor_slices((features, labels)).batch(batch_size)"

MUTANTS = (
    # load_table
    Variant(
        "load_table",
        "header not skipped (genfromtxt reads it as NaN)",
        replace=((LOADTXT, 'np.genfromtxt(path, delimiter=",", dtype=np.float32)'),),
    ),
    Variant("load_table", "float64 table", replace=(("dtype=np.float32", "dtype=np.float64"),)),
    Variant("load_table", "returns the NumPy array", replace=(("return tf.constant(rows)", "return rows"),)),
    Variant("load_table", "no ndmin=2: one row comes back 1-D", replace=((", ndmin=2)", ")"),)),
    Variant("load_table", "skips two lines", replace=(("skiprows=1", "skiprows=2"),)),
    Variant(
        "load_table",
        "always reads admissions.csv, whatever the path",
        replace=(("np.loadtxt(path,", 'np.loadtxt("admissions.csv",'),),
    ),
    Variant(
        "load_table",
        "split on newlines, last line dropped",
        source="def load_table(path):\n"
        "    with open(path) as handle:\n"
        "        lines = handle.read().split('\\n')[1:-1]\n"
        "    rows = [[float(v) for v in line.split(',')] for line in lines]\n"
        "    return tf.constant(rows, dtype=tf.float32)\n",
    ),
    # split_features_labels
    Variant(
        "split_features_labels", "labels as a column (N, 1)", replace=(("table[:, -1]", "table[:, -1:]"),)
    ),
    Variant(
        "split_features_labels",
        "the label column left in the features",
        replace=(("table[:, :-1]", "table"),),
    ),
    Variant(
        "split_features_labels",
        "the first column taken as the label",
        replace=(("return table[:, :-1], table[:, -1]", "return table[:, 1:], table[:, 0]"),),
    ),
    Variant(
        "split_features_labels",
        "always float32",
        replace=(("table = tf.convert_to_tensor(table)", "table = tf.cast(table, tf.float32)"),),
    ),
    Variant(
        "split_features_labels",
        "NumPy arrays returned",
        replace=(("table = tf.convert_to_tensor(table)", "table = np.asarray(table)"),),
    ),
    # standardize
    Variant(
        "standardize",
        "sample standard deviation (N - 1)",
        replace=(
            (
                "std = tf.sqrt(tf.reduce_mean(tf.square(x - mean), axis=0))",
                "n = tf.cast(tf.shape(x)[0], x.dtype)\n"
                "    std = tf.sqrt(tf.reduce_sum(tf.square(x - mean), axis=0) / (n - 1))",
            ),
        ),
    ),
    Variant(
        "standardize",
        "constant columns not handled (division by 0)",
        replace=(("std = tf.where(constant, tf.ones_like(std), std)", ""),),
    ),
    Variant(
        "standardize",
        "constant column scaled safely but std reported as 0",
        replace=(
            (
                "std = tf.where(constant, tf.ones_like(std), std)\n    return (x - mean) / std, mean, std",
                "safe = tf.where(constant, tf.ones_like(std), std)\n    return (x - mean) / safe, mean, std",
            ),
        ),
    ),
    Variant(
        "standardize",
        "one mean and std for the whole table",
        replace=(
            ("mean = tf.reduce_mean(x, axis=0)", "mean = tf.reduce_mean(x)"),
            ("tf.reduce_mean(tf.square(x - mean), axis=0)", "tf.reduce_mean(tf.square(x - mean))"),
            ("tf.reduce_max(x, axis=0) == tf.reduce_min(x, axis=0)", "tf.reduce_max(x) == tf.reduce_min(x)"),
        ),
    ),
    Variant(
        "standardize",
        "mean and std kept as (1, F)",
        replace=(
            ("mean = tf.reduce_mean(x, axis=0)", "mean = tf.reduce_mean(x, axis=0, keepdims=True)"),
            (
                "tf.reduce_mean(tf.square(x - mean), axis=0)",
                "tf.reduce_mean(tf.square(x - mean), axis=0, keepdims=True)",
            ),
            (
                "tf.reduce_max(x, axis=0) == tf.reduce_min(x, axis=0)",
                "tf.reduce_max(x, axis=0, keepdims=True) == tf.reduce_min(x, axis=0, keepdims=True)",
            ),
        ),
    ),
    Variant(
        "standardize",
        "std fixed in Python with .numpy() (not in tf.function)",
        replace=(
            (
                "std = tf.where(constant, tf.ones_like(std), std)",
                "std = tf.constant([s if s != 0 else 1.0 for s in std.numpy()], dtype=x.dtype)",
            ),
        ),
    ),
    Variant(
        "standardize",
        "divides by the variance",
        replace=(("std = tf.sqrt(tf.reduce_mean(", "std = (tf.reduce_mean("),),
    ),
    # apply_standardize
    Variant(
        "apply_standardize",
        "multiplies by std",
        replace=(("/ tf.cast(std, x.dtype)", "* tf.cast(std, x.dtype)"),),
    ),
    Variant(
        "apply_standardize",
        "undoes the scaling instead",
        replace=(
            (
                "return (x - tf.cast(mean, x.dtype)) / tf.cast(std, x.dtype)",
                "return x * tf.cast(std, x.dtype) + tf.cast(mean, x.dtype)",
            ),
        ),
    ),
    Variant(
        "apply_standardize",
        "divides before subtracting",
        replace=(
            (
                "return (x - tf.cast(mean, x.dtype)) / tf.cast(std, x.dtype)",
                "return x / tf.cast(std, x.dtype) - tf.cast(mean, x.dtype)",
            ),
        ),
    ),
    Variant(
        "apply_standardize",
        "always float32",
        replace=(("x = tf.convert_to_tensor(features)", "x = tf.cast(features, tf.float32)"),),
    ),
    # train_test_split
    Variant(
        "train_test_split",
        "test rows from the end of the permutation",
        replace=(
            (
                "test_rows, train_rows = perm[:n_test], perm[n_test:]",
                "test_rows, train_rows = perm[n - n_test:], perm[:n - n_test]",
            ),
        ),
    ),
    Variant(
        "train_test_split",
        "round() instead of int()",
        replace=(("n_test = int(n * test_fraction)", "n_test = round(n * test_fraction)"),),
    ),
    Variant(
        "train_test_split",
        "rounds up",
        replace=(("n_test = int(n * test_fraction)", "n_test = int(np.ceil(n * test_fraction))"),),
    ),
    Variant(
        "train_test_split",
        "legacy np.random.seed and np.random.permutation",
        replace=(
            (
                "perm = np.random.default_rng(seed).permutation(n)",
                "np.random.seed(seed)\n    perm = np.random.permutation(n)",
            ),
        ),
    ),
    Variant(
        "train_test_split",
        "tf.random.shuffle with the seed",
        replace=(
            (
                "perm = np.random.default_rng(seed).permutation(n)",
                "perm = tf.random.shuffle(tf.range(n), seed=seed).numpy()",
            ),
        ),
    ),
    Variant(
        "train_test_split",
        "labels shuffled with a second permutation",
        replace=(
            (
                "perm = np.random.default_rng(seed).permutation(n)",
                "rng = np.random.default_rng(seed)\n    perm = rng.permutation(n)\n    perm_y = rng.permutation(n)",
            ),
            (
                "tf.gather(y, train_rows), tf.gather(y, test_rows)",
                "tf.gather(y, perm_y[n_test:]), tf.gather(y, perm_y[:n_test])",
            ),
        ),
    ),
    Variant(
        "train_test_split",
        "returns x_train, y_train, x_test, y_test",
        replace=(
            (
                SPLIT,
                "return tf.gather(x, train_rows), tf.gather(y, train_rows), "
                "tf.gather(x, test_rows), tf.gather(y, test_rows)",
            ),
        ),
    ),
    Variant(
        "train_test_split",
        "test rows sorted",
        replace=(
            (
                "test_rows, train_rows = perm[:n_test], perm[n_test:]",
                "test_rows, train_rows = np.sort(perm[:n_test]), np.sort(perm[n_test:])",
            ),
        ),
    ),
    # make_batches
    Variant(
        "make_batches",
        "drop_remainder=True",
        replace=((".batch(batch_size)", ".batch(batch_size, drop_remainder=True)"),),
    ),
    Variant(
        "make_batches",
        "shuffled before batching",
        replace=((".batch(batch_size)", ".shuffle(1000, seed=0).batch(batch_size)"),),
    ),
    Variant(
        "make_batches",
        "returns a list of batches",
        replace=(("return " + BATCH, "return list(" + BATCH + ")"),),
    ),
    Variant(
        "make_batches",
        "(y, x) instead of (x, y)",
        replace=(("from_tensor_slices((features, labels))", "from_tensor_slices((labels, features))"),),
    ),
    Variant(
        "make_batches", "repeats forever", replace=((".batch(batch_size)", ".batch(batch_size).repeat()"),)
    ),
    Variant("make_batches", "never batched", replace=((".batch(batch_size)", ""),)),
    # Reductions over the wrong axis; each names the check that must catch it.
    Variant(
        "standardize",
        "mean and std over axis 1 (per row)",
        replace=(("axis=0", "axis=1"),),
        caught_by=("standardize.values",),
    ),
    Variant(
        "standardize",
        "one std over every element (mean per column)",
        replace=(("tf.reduce_mean(tf.square(x - mean), axis=0)", "tf.reduce_mean(tf.square(x - mean))"),),
        caught_by=("standardize.values",),
    ),
)

ALTERNATES = (
    Variant(
        "load_table",
        "the csv module",
        source="def load_table(path):\n"
        "    import csv\n"
        "    with open(path, newline='') as handle:\n"
        "        rows = list(csv.reader(handle))[1:]\n"
        "    rows = [[float(v) for v in row] for row in rows if row]\n"
        "    return tf.constant(np.array(rows, dtype=np.float32).reshape(-1, 4))\n",
    ),
    Variant(
        "load_table",
        "tf.io.read_file and tf.io.decode_csv",
        source="def load_table(path):\n"
        "    text = tf.strings.strip(tf.io.read_file(path))\n"
        "    lines = tf.strings.split(text, '\\n')[1:]\n"
        "    columns = tf.io.decode_csv(lines, record_defaults=[[0.0]] * 4)\n"
        "    return tf.stack(columns, axis=1)\n",
    ),
    Variant(
        "load_table",
        "np.genfromtxt with skip_header",
        source="def load_table(path):\n"
        "    rows = np.genfromtxt(path, delimiter=',', skip_header=1, ndmin=2)\n"
        "    return tf.convert_to_tensor(rows, dtype=tf.float32)\n",
    ),
    Variant(
        "split_features_labels",
        "tf.split into two parts",
        source="def split_features_labels(table):\n"
        "    table = tf.convert_to_tensor(table)\n"
        "    features, label = tf.split(table, [table.shape[1] - 1, 1], axis=1)\n"
        "    return features, tf.squeeze(label, axis=1)\n",
    ),
    Variant(
        "standardize",
        "tf.math.reduce_std and std == 0",
        source="def standardize(features):\n"
        "    x = tf.convert_to_tensor(features)\n"
        "    mean = tf.math.reduce_mean(x, axis=0)\n"
        "    std = tf.math.reduce_std(x, axis=0)\n"
        "    std = tf.where(std == 0, tf.constant(1.0, x.dtype), std)\n"
        "    return (x - mean) / std, mean, std\n",
    ),
    Variant(
        "standardize",
        "tf.nn.moments",
        source="def standardize(features):\n"
        "    x = tf.convert_to_tensor(features)\n"
        "    mean, variance = tf.nn.moments(x, axes=[0])\n"
        "    same = tf.reduce_all(tf.equal(x, x[0]), axis=0)\n"
        "    std = tf.where(same, tf.ones_like(variance), tf.sqrt(variance))\n"
        "    return tf.math.divide(x - mean, std), mean, std\n",
    ),
    Variant(
        "standardize",
        "computed in float64, cast back",
        source="def standardize(features):\n"
        "    x = tf.convert_to_tensor(features)\n"
        "    x64 = tf.cast(x, tf.float64)\n"
        "    mean = tf.reduce_mean(x64, axis=0)\n"
        "    std = tf.sqrt(tf.reduce_mean((x64 - mean) ** 2, axis=0))\n"
        "    std = tf.where(tf.reduce_max(x64, axis=0) > tf.reduce_min(x64, axis=0), std, 1.0)\n"
        "    scaled = (x64 - mean) / std\n"
        "    return tf.cast(scaled, x.dtype), tf.cast(mean, x.dtype), tf.cast(std, x.dtype)\n",
    ),
    Variant(
        "apply_standardize",
        "tf.math.subtract and tf.math.divide",
        source="def apply_standardize(features, mean, std):\n"
        "    x = tf.convert_to_tensor(features)\n"
        "    mean = tf.convert_to_tensor(mean, dtype=x.dtype)\n"
        "    std = tf.convert_to_tensor(std, dtype=x.dtype)\n"
        "    return tf.math.divide(tf.math.subtract(x, mean), std)\n",
    ),
    Variant(
        "train_test_split",
        "NumPy indexing, then tensors",
        source="def train_test_split(features, labels, test_fraction, seed):\n"
        "    x = tf.convert_to_tensor(features).numpy()\n"
        "    y = tf.convert_to_tensor(labels).numpy()\n"
        "    perm = np.random.default_rng(seed).permutation(len(x))\n"
        "    n_test = int(len(x) * test_fraction)\n"
        "    test, train = perm[:n_test], perm[n_test:]\n"
        "    return tf.constant(x[train]), tf.constant(x[test]), tf.constant(y[train]), tf.constant(y[test])\n",
    ),
    Variant(
        "train_test_split",
        "gather once, then tf.split",
        source="def train_test_split(features, labels, test_fraction, seed):\n"
        "    x, y = tf.convert_to_tensor(features), tf.convert_to_tensor(labels)\n"
        "    n = x.shape[0]\n"
        "    perm = np.random.default_rng(seed).permutation(n)\n"
        "    n_test = int(n * test_fraction)\n"
        "    x_test, x_train = tf.split(tf.gather(x, perm), [n_test, n - n_test])\n"
        "    y_test, y_train = tf.split(tf.gather(y, perm), [n_test, n - n_test])\n"
        "    return x_train, x_test, y_train, y_test\n",
    ),
    Variant(
        "make_batches",
        "two batched datasets zipped",
        source="def make_batches(features, labels, batch_size):\n"
        "    xs = tf.data.Dataset.from_tensor_slices(tf.convert_to_tensor(features)).batch(batch_size)\n"
        "    ys = tf.data.Dataset.from_tensor_slices(tf.convert_to_tensor(labels)).batch(batch_size)\n"
        "    return tf.data.Dataset.zip((xs, ys))\n",
    ),
    Variant(
        "make_batches",
        "batches of row numbers, gathered with map",
        source="def make_batches(features, labels, batch_size):\n"
        "    x, y = tf.convert_to_tensor(features), tf.convert_to_tensor(labels)\n"
        "    rows = tf.data.Dataset.range(x.shape[0]).batch(batch_size)\n"
        "    return rows.map(lambda r: (tf.gather(x, r), tf.gather(y, r)))\n",
    ),
)
