from graders.cli import main
from graders.engine import run_then_exit

run_then_exit(main)
