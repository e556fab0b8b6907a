"""How a function under test is called on a case.

A protocol takes the function and a `Case`, calls the function the way the contract says
it will be used (directly, inside tf.function, under a GradientTape, with tf.Variables it
updates over several steps, ...) and returns what came out as a plain value tree
(`selfcheck.values.normalize`). The same protocol runs the reference solution in the
grader and the submission in its own process, so both are called in exactly the same way.
Exceptions propagate: the caller records them.

`core` holds the protocols shared by every assignment; a module named after an
assignment's module (e.g. `flow`) holds the ones only that assignment needs. All are
registered by name when this package is imported.
"""

import importlib
import pkgutil

from .core import HANDED_OVER, PROTOCOLS, materialize, protocol, run

for _info in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["HANDED_OVER", "PROTOCOLS", "materialize", "protocol", "run"]
