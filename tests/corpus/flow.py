"""Mutants and alternates of 02_flow."""

from corpus.variant import Variant

CALLERS = {}

MUTANTS = (
    Variant("affine", "bias ignored", replace=(("return x @ w + b", "return x @ w"),)),
    Variant("affine", "bias subtracted", replace=(("return x @ w + b", "return x @ w - b"),)),
    Variant(
        "affine", "w @ x", replace=(("return x @ w + b", "return tf.transpose(w) @ tf.transpose(x) + b"),)
    ),
    Variant(
        "affine",
        "weights transposed",
        replace=(("return x @ w + b", "return tf.matmul(x, w, transpose_b=True) + b"),),
    ),
    Variant(
        "affine", "float32 forced", replace=(("x = tf.convert_to_tensor(x)", "x = tf.cast(x, tf.float32)"),)
    ),
    Variant(
        "affine",
        "inputs not converted",
        source="""def affine(x, w, b):
    return x @ w + b
""",
    ),
    Variant("to_graph", "returns fn itself", replace=(("return tf.function(fn)", "return fn"),)),
    Variant(
        "to_graph",
        "tf.autograph.to_graph",
        replace=(("return tf.function(fn)", "return tf.autograph.to_graph(fn)"),),
    ),
    Variant(
        "to_graph",
        "AutoGraph switched off",
        replace=(("tf.function(fn)", "tf.function(fn, autograph=False)"),),
    ),
    Variant(
        "to_graph",
        "a new tf.function on every call",
        replace=(("return tf.function(fn)", "return lambda *args: tf.function(fn)(*args)"),),
    ),
    Variant("graph_op_types", "op names instead of types", replace=(("op.type", "op.name"),)),
    Variant(
        "graph_op_types",
        "sorted instead of graph order",
        replace=(
            (
                "return [op.type for op in concrete.graph.get_operations()]",
                "return sorted(op.type for op in concrete.graph.get_operations())",
            ),
        ),
    ),
    Variant(
        "graph_op_types",
        "a set of types",
        replace=(
            (
                "return [op.type for op in concrete.graph.get_operations()]",
                "return {op.type for op in concrete.graph.get_operations()}",
            ),
        ),
    ),
    Variant(
        "graph_op_types",
        "placeholders left out",
        replace=(
            (
                "concrete.graph.get_operations()]",
                "concrete.graph.get_operations() if op.type != 'Placeholder']",
            ),
        ),
    ),
    Variant(
        "graph_op_types",
        "outputs (Identity) left out",
        replace=(
            ("concrete.graph.get_operations()]", "concrete.graph.get_operations() if op.type != 'Identity']"),
        ),
    ),
    Variant(
        "graph_op_types",
        "specs passed as one tuple",
        replace=(("get_concrete_function(*specs)", "get_concrete_function(specs)"),),
    ),
    Variant(
        "graph_op_types",
        "specs replaced by float32 of any shape",
        replace=(
            (
                "get_concrete_function(*specs)",
                "get_concrete_function(*[tf.TensorSpec(None, tf.float32) for _ in specs])",
            ),
        ),
    ),
    Variant(
        "graph_edges",
        "tensor names (with :0) for producers",
        replace=(("(tensor.op.name, op.name)", "(tensor.name, op.name)"),),
    ),
    Variant(
        "graph_edges", "pairs reversed", replace=(("(tensor.op.name, op.name)", "(op.name, tensor.op.name)"),)
    ),
    Variant(
        "graph_edges",
        "a list of pairs",
        replace=(
            (
                "return {(tensor.op.name, op.name) for op in graph.get_operations() for tensor in op.inputs}",
                "return [(tensor.op.name, op.name) for op in graph.get_operations() for tensor in op.inputs]",
            ),
        ),
    ),
    Variant(
        "graph_edges",
        "op types instead of names",
        replace=(("(tensor.op.name, op.name)", "(tensor.op.type, op.type)"),),
    ),
    Variant(
        "graph_edges",
        "specs renamed after the parameters",
        replace=(
            (
                "get_concrete_function(*specs)",
                "get_concrete_function(*[tf.TensorSpec(s.shape, s.dtype) for s in specs])",
            ),
        ),
    ),
    Variant(
        "graph_edges",
        "edges out of placeholders left out",
        replace=(
            ("for tensor in op.inputs}", "for tensor in op.inputs if tensor.op.type != 'Placeholder'}"),
        ),
    ),
    Variant("count_traces", "counts the calls", replace=(("    return traces", "    return len(calls)"),)),
    Variant("count_traces", "starts counting at 1", replace=(("traces = 0", "traces = 1"),)),
    Variant(
        "count_traces",
        "a new tf.function for every call",
        replace=(
            (
                "    graph_fn = tf.function(traced)\n    for args in calls:\n",
                "    for args in calls:\n        graph_fn = tf.function(traced)\n",
            ),
        ),
    ),
    Variant(
        "count_traces", "calls fn eagerly", replace=(("graph_fn = tf.function(traced)", "graph_fn = traced"),)
    ),
    Variant(
        "count_traces",
        "reduce_retracing=True",
        replace=(("tf.function(traced)", "tf.function(traced, reduce_retracing=True)"),),
    ),
    Variant(
        "count_traces", "arguments passed as one tuple", replace=(("graph_fn(*args)", "graph_fn(args)"),)
    ),
    Variant(
        "count_traces",
        "counts distinct shapes",
        source="""def count_traces(fn, calls):
    shapes = set()
    for args in calls:
        shapes.add(tuple(tuple(tf.convert_to_tensor(a).shape) for a in args))
    return len(shapes)
""",
    ),
    Variant(
        "count_traces",
        "reads the tracing count before calling",
        source="""def count_traces(fn, calls):
    graph_fn = tf.function(fn)
    count = graph_fn.experimental_get_tracing_count()
    for args in calls:
        graph_fn(*args)
    return count
""",
    ),
    Variant(
        "count_traces", "returns a tensor", replace=(("    return traces", "    return tf.constant(traces)"),)
    ),
    # Control edges counted as data edges, and control-only ops dropped; traced functions with state
    # (a Variable update, a Variable read, tf.print) are among the cases.
    Variant(
        "graph_edges",
        "control inputs added to the data edges",
        replace=(
            (
                "    return {(tensor.op.name, op.name) for op",
                "    control = {(c.name, op.name) for op in graph.get_operations()"
                " for c in op.control_inputs}\n"
                "    return control | {(tensor.op.name, op.name) for op",
            ),
        ),
        caught_by=("graph_edges.functions",),
    ),
    Variant(
        "graph_edges",
        "GraphDef inputs with the leading '^' stripped",
        source="""def graph_edges(fn, *specs):
    graph_def = tf.function(fn).get_concrete_function(*specs).graph.as_graph_def()
    return {(name.lstrip("^").split(":")[0], node.name) for node in graph_def.node for name in node.input}
""",
        caught_by=("graph_edges.functions",),
    ),
    Variant(
        "graph_edges",
        "GraphDef inputs, control inputs kept with their '^'",
        source="""def graph_edges(fn, *specs):
    graph_def = tf.function(fn).get_concrete_function(*specs).graph.as_graph_def()
    return {(name.split(":")[0], node.name) for node in graph_def.node for name in node.input}
""",
        caught_by=("graph_edges.functions",),
    ),
    Variant(
        "graph_op_types",
        "ops without outputs (updates, prints) left out",
        replace=(("concrete.graph.get_operations()]", "concrete.graph.get_operations() if op.outputs]"),),
        caught_by=("graph_op_types.functions",),
    ),
)

ALTERNATES = (
    Variant(
        "affine",
        "tf.matmul and tf.add",
        source="""def affine(x, w, b):
    x = tf.convert_to_tensor(x)
    return tf.add(tf.matmul(x, tf.cast(w, x.dtype)), tf.cast(b, x.dtype))
""",
    ),
    Variant(
        "affine",
        "einsum",
        source="""def affine(x, w, b):
    x = tf.convert_to_tensor(x)
    return tf.einsum("nd,dk->nk", x, tf.cast(w, x.dtype)) + tf.cast(b, x.dtype)
""",
    ),
    Variant(
        "to_graph",
        "a decorated inner function",
        source="""def to_graph(fn):
    @tf.function
    def graph_fn(*args):
        return fn(*args)

    return graph_fn
""",
    ),
    Variant(
        "to_graph",
        "tf.function of a lambda",
        replace=(("return tf.function(fn)", "return tf.function(lambda *args: fn(*args))"),),
    ),
    Variant(
        "graph_op_types",
        "GraphDef nodes",
        source="""def graph_op_types(fn, *specs):
    graph_def = tf.function(fn).get_concrete_function(*specs).graph.as_graph_def()
    return [node.op for node in graph_def.node]
""",
    ),
    Variant(
        "graph_op_types",
        "a loop with append",
        source="""def graph_op_types(fn, *specs):
    graph = tf.function(fn).get_concrete_function(*specs).graph
    types = []
    for op in graph.get_operations():
        types.append(str(op.type))
    return types
""",
    ),
    Variant(
        "graph_edges",
        "from every output's consumers",
        source="""def graph_edges(fn, *specs):
    graph = tf.function(fn).get_concrete_function(*specs).graph
    edges = set()
    for op in graph.get_operations():
        for output in op.outputs:
            for consumer in output.consumers():
                edges.add((op.name, consumer.name))
    return edges
""",
    ),
    Variant(
        "graph_edges",
        "GraphDef input strings",
        source="""def graph_edges(fn, *specs):
    graph_def = tf.function(fn).get_concrete_function(*specs).graph.as_graph_def()
    return {(name.split(":")[0], node.name) for node in graph_def.node for name in node.input
            if not name.startswith("^")}
""",
    ),
    Variant(
        "count_traces",
        "experimental_get_tracing_count",
        source="""def count_traces(fn, calls):
    graph_fn = tf.function(fn)
    for args in calls:
        graph_fn(*args)
    return graph_fn.experimental_get_tracing_count()
""",
    ),
    Variant(
        "count_traces",
        "a list as the counter",
        source="""def count_traces(fn, calls):
    counter = [0]

    @tf.function
    def graph_fn(*args):
        counter[0] += 1
        return fn(*args)

    for args in calls:
        graph_fn(*args)
    return counter[0]
""",
    ),
)
