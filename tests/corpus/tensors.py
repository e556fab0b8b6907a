"""Mutants and alternates of 01_tensors."""

from corpus.variant import Variant

CALLERS = {}

TABLE_ROWS = "[[5, 12, 17, 9, 3], [13, 4, 8, 14, 1], [9, 6, 3, 7, 21]]"

MUTANTS = (
    Variant("table", "float32 instead of int32", replace=(("dtype=tf.int32", "dtype=tf.float32"),)),
    Variant("table", "int64 instead of int32", replace=(("dtype=tf.int32", "dtype=tf.int64"),)),
    Variant("table", "a typo in one number", replace=(("[13, 4, 8, 14, 1]", "[13, 4, 8, 41, 1]"),)),
    Variant(
        "table",
        "rows written as columns (5x3)",
        replace=(
            ("return tf.constant(", "return tf.transpose(tf.constant("),
            ("dtype=tf.int32)", "dtype=tf.int32))"),
        ),
    ),
    Variant("table", "NumPy array returned", replace=(("dtype=tf.int32)", "dtype=tf.int32).numpy()"),)),
    Variant(
        "describe",
        "TensorShape instead of a tuple",
        replace=(('"shape": tuple(int(d) for d in t.shape)', '"shape": t.shape'),),
    ),
    Variant(
        "describe", "tf.DType instead of its name", replace=(('"dtype": t.dtype.name', '"dtype": t.dtype'),)
    ),
    Variant("describe", "str(dtype)", replace=(('"dtype": t.dtype.name', '"dtype": str(t.dtype)'),)),
    Variant(
        "describe", "rank as a tensor (tf.rank)", replace=(('"rank": len(t.shape)', '"rank": tf.rank(t)'),)
    ),
    Variant(
        "describe", "size as a scalar tensor", replace=(('"size": int(tf.size(t))', '"size": tf.size(t)'),)
    ),
    Variant(
        "describe",
        "size assumes a matrix",
        replace=(('"size": int(tf.size(t))', '"size": int(t.shape[0]) * int(t.shape[1])'),),
    ),
    Variant(
        "describe",
        "NumPy's dtype (lists become int64 and float64)",
        source="""def describe(t):
    import numpy as np

    array = np.asarray(t)
    return {"shape": tuple(int(d) for d in array.shape), "rank": array.ndim, "size": int(array.size),
            "dtype": array.dtype.name}
""",
    ),
    Variant("pick", "row and col swapped", replace=(("[row, col]", "[col, row]"),)),
    Variant(
        "pick",
        "tf.gather_nd (no negative indices)",
        replace=(("return tf.convert_to_tensor(t)[row, col]", "return tf.gather_nd(t, [row, col])"),),
    ),
    Variant("pick", "NumPy scalar returned", replace=(("[row, col]", "[row, col].numpy()"),)),
    Variant("pick", "input not converted", replace=(("tf.convert_to_tensor(t)[row, col]", "t[row][col]"),)),
    Variant("column", "a row instead of a column", replace=(("[:, j]", "[j]"),)),
    Variant("column", "keeps the column axis (R, 1)", replace=(("[:, j]", "[:, j:j + 1]"),)),
    Variant(
        "column",
        "tf.gather (no negative indices)",
        replace=(("return tf.convert_to_tensor(t)[:, j]", "return tf.gather(t, j, axis=1)"),),
    ),
    Variant("column", "counts columns from 1", replace=(("[:, j]", "[:, j - 1]"),)),
    Variant("first_image", "the last image", replace=(("[0]", "[-1]"),)),
    Variant("first_image", "keeps the batch axis", replace=(("[0]", "[:1]"),)),
    Variant("first_image", "the first pixel row of every image", replace=(("[0]", "[:, 0]"),)),
    Variant(
        "first_image",
        "squeeze instead of indexing",
        replace=(("return tf.convert_to_tensor(images)[0]", "return tf.squeeze(images)"),),
    ),
    Variant(
        "flatten_images",
        "everything flattened into one vector",
        replace=(("tf.reshape(images, [shape[0], shape[1] * shape[2]])", "tf.reshape(images, [-1])"),),
    ),
    Variant(
        "flatten_images",
        "read column by column",
        replace=(("tf.reshape(images, [", "tf.reshape(tf.transpose(images, [0, 2, 1]), ["),),
    ),
    Variant(
        "flatten_images",
        "cast to float32",
        replace=(
            (
                "return tf.reshape(images, [shape[0], shape[1] * shape[2]])",
                "return tf.cast(tf.reshape(images, [shape[0], shape[1] * shape[2]]), tf.float32)",
            ),
        ),
    ),
    Variant(
        "flatten_images",
        "(H*W, N) instead of (N, H*W)",
        replace=(("[shape[0], shape[1] * shape[2]]", "[shape[1] * shape[2], shape[0]]"),),
    ),
    Variant(
        "flatten_images",
        "NumPy reshape",
        source="""def flatten_images(images):
    import numpy as np

    images = np.asarray(images)
    return images.reshape(images.shape[0], -1)
""",
    ),
    Variant(
        "scale_pixels",
        "divided by the batch's maximum",
        replace=(("/ 255.0", "/ tf.cast(tf.reduce_max(images), tf.float32)"),),
    ),
    Variant("scale_pixels", "float64", replace=(("tf.float32", "tf.float64"),)),
    Variant(
        "scale_pixels",
        "integer division before the cast",
        replace=(
            (
                "return tf.cast(tf.convert_to_tensor(images), tf.float32) / 255.0",
                "return tf.cast(tf.convert_to_tensor(images) // 255, tf.float32)",
            ),
        ),
    ),
    Variant("scale_pixels", "divided by 256", replace=(("/ 255.0", "/ 256.0"),)),
    Variant(
        "scale_pixels",
        "no conversion (NumPy input gives NumPy float64)",
        replace=(
            ("return tf.cast(tf.convert_to_tensor(images), tf.float32) / 255.0", "return images / 255"),
        ),
    ),
    Variant("column_means", "row means", replace=(("axis=0", "axis=1"),)),
    Variant(
        "column_means",
        "integer mean, cast afterwards",
        replace=(
            (
                "tf.reduce_mean(tf.cast(tf.convert_to_tensor(t), tf.float32), axis=0)",
                "tf.cast(tf.reduce_mean(tf.convert_to_tensor(t), axis=0), tf.float32)",
            ),
        ),
    ),
    Variant("column_means", "float64 result", replace=(("tf.float32", "tf.float64"),)),
    Variant("column_means", "mean of every element", replace=((", axis=0)", ")"),)),
    Variant("column_means", "sum instead of mean", replace=(("tf.reduce_mean(", "tf.reduce_sum("),)),
    Variant("stack", "concatenated instead of stacked", replace=(("tf.stack(", "tf.concat("),)),
    Variant("stack", "stacked along the last axis", replace=(("axis=0", "axis=-1"),)),
    Variant("stack", "reversed order", replace=(("for m in matrices]", "for m in matrices[::-1]]"),)),
    Variant(
        "stack",
        "cast to float32",
        replace=(
            (
                "return tf.stack([tf.convert_to_tensor(m) for m in matrices], axis=0)",
                "return tf.cast(tf.stack([tf.convert_to_tensor(m) for m in matrices], axis=0), tf.float32)",
            ),
        ),
    ),
    # A vector where a scalar belongs and the reverse, and odd values; each names the check
    # that must catch it.
    Variant(
        "pick",
        "gather_nd with a list of index pairs: shape (1,)",
        replace=(("return tf.convert_to_tensor(t)[row, col]", "return tf.gather_nd(t, [[row, col]])"),),
        caught_by=("pick.values",),
    ),
    Variant(
        "pick",
        "the whole row",
        replace=(("[row, col]", "[row]"),),
        caught_by=("pick.values", "pick.negative"),
    ),
    Variant(
        "pick",
        "an empty slice t[row:row, col]",
        replace=(("[row, col]", "[row:row, col]"),),
        caught_by=("pick.values",),
    ),
    Variant(
        "pick",
        "a bool tensor (the element compared with 0)",
        replace=(("[row, col]", "[row, col] != 0"),),
        caught_by=("pick.values",),
    ),
    Variant(
        "pick",
        "a complex tensor",
        replace=(
            (
                "return tf.convert_to_tensor(t)[row, col]",
                "return tf.cast(tf.convert_to_tensor(t)[row, col], tf.complex64)",
            ),
        ),
        caught_by=("pick.values",),
    ),
    Variant(
        "pick",
        "a rank-3 tensor (1, 1, 1)",
        replace=(
            (
                "return tf.convert_to_tensor(t)[row, col]",
                "return tf.reshape(tf.convert_to_tensor(t)[row, col], (1, 1, 1))",
            ),
        ),
        caught_by=("pick.values",),
    ),
    Variant(
        "pick",
        "the row and the column as nested lists (ragged)",
        source="""def pick(t, row, col):
    t = tf.convert_to_tensor(t)
    return [t[row].numpy().tolist(), t[:, col].numpy().tolist()]
""",
        caught_by=("pick.values",),
    ),
    Variant(
        "column_means",
        "keepdims=True: shape (1, C)",
        replace=(("axis=0)", "axis=0, keepdims=True)"),),
        caught_by=("column_means.values",),
    ),
)

ALTERNATES = (
    Variant(
        "table",
        "NumPy array converted",
        source=f"""def table():
    import numpy as np

    return tf.convert_to_tensor(np.array({TABLE_ROWS}, dtype=np.int32))
""",
    ),
    Variant(
        "table",
        "15 numbers reshaped",
        source="""def table():
    numbers = tf.constant([5, 12, 17, 9, 3, 13, 4, 8, 14, 1, 9, 6, 3, 7, 21])
    return tf.reshape(numbers, (3, 5))
""",
    ),
    Variant(
        "describe",
        "TensorShape methods",
        source="""def describe(t):
    t = tf.convert_to_tensor(t)
    return {"shape": tuple(t.shape.as_list()), "rank": t.shape.rank, "size": t.shape.num_elements(),
            "dtype": t.dtype.name}
""",
    ),
    Variant(
        "describe",
        "through a NumPy copy of a tensor",
        source="""def describe(t):
    t = tf.constant(t) if not isinstance(t, (tf.Tensor, tf.Variable)) else t
    values = t.numpy()
    return {"shape": values.shape, "rank": values.ndim, "size": values.size, "dtype": t.dtype.name}
""",
    ),
    Variant("pick", "two single indices", replace=(("[row, col]", "[row][col]"),)),
    Variant(
        "pick",
        "gather_nd with indices wrapped by hand",
        source="""def pick(t, row, col):
    t = tf.convert_to_tensor(t)
    rows, cols = t.shape
    return tf.gather_nd(t, [row % rows, col % cols])
""",
    ),
    Variant(
        "column", "a row of the transpose", replace=(("tf.convert_to_tensor(t)[:, j]", "tf.transpose(t)[j]"),)
    ),
    Variant(
        "column",
        "tf.gather with the index wrapped",
        source="""def column(t, j):
    t = tf.convert_to_tensor(t)
    return tf.gather(t, j % t.shape[1], axis=1)
""",
    ),
    Variant(
        "first_image",
        "tf.gather",
        replace=(("return tf.convert_to_tensor(images)[0]", "return tf.gather(images, 0)"),),
    ),
    Variant("first_image", "all three axes indexed", replace=(("[0]", "[0, :, :]"),)),
    Variant(
        "flatten_images",
        "static shape and -1",
        source="""def flatten_images(images):
    images = tf.convert_to_tensor(images)
    return tf.reshape(images, (images.shape[0], -1))
""",
    ),
    Variant(
        "flatten_images",
        "pixel rows concatenated",
        source="""def flatten_images(images):
    images = tf.convert_to_tensor(images)
    return tf.concat([images[:, r, :] for r in range(images.shape[1])], axis=1)
""",
    ),
    Variant(
        "scale_pixels",
        "tf.image.convert_image_dtype",
        replace=(
            (
                "return tf.cast(tf.convert_to_tensor(images), tf.float32) / 255.0",
                "return tf.image.convert_image_dtype(tf.convert_to_tensor(images), tf.float32)",
            ),
        ),
    ),
    Variant("scale_pixels", "multiplied by 1/255", replace=(("/ 255.0", "* (1.0 / 255.0)"),)),
    Variant(
        "column_means",
        "averaged in float64, then cast",
        source="""def column_means(t):
    t = tf.cast(tf.convert_to_tensor(t), tf.float64)
    return tf.cast(tf.reduce_sum(t, axis=0) / t.shape[0], tf.float32)
""",
    ),
    Variant(
        "column_means",
        "a tf.function helper and a matrix product",
        source="""@tf.function
def _mean_of_columns(t):
    ones = tf.ones((1, tf.shape(t)[0]), dtype=tf.float32)
    return tf.reshape(ones @ t, [-1]) / tf.cast(tf.shape(t)[0], tf.float32)


def column_means(t):
    return _mean_of_columns(tf.cast(tf.convert_to_tensor(t), tf.float32))
""",
    ),
    Variant(
        "stack",
        "expand_dims and concat",
        source="""def stack(matrices):
    return tf.concat([tf.expand_dims(tf.convert_to_tensor(m), 0) for m in matrices], axis=0)
""",
    ),
    Variant(
        "stack",
        "tf.stack on the list as given",
        replace=(("tf.stack([tf.convert_to_tensor(m) for m in matrices], axis=0)", "tf.stack(matrices)"),),
    ),
)
