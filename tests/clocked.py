"""Run a Python module or script on the suite's moved clock: ``python tests/clocked.py -m celery ...`` or
``python tests/clocked.py script.py ...``. Used by tests/conftest.py ``python_command()`` when
``SILON_TEST_CLOCK_SHIFT`` is set, so that a Celery worker (and its forked children) or a fresh process sees
the same "now" as the test that started it."""

import datetime
import runpy
import sys
from pathlib import Path

import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import clock_shift


def main() -> None:
    shift = clock_shift()
    if shift:
        time_machine.travel(datetime.datetime.now(datetime.UTC) + shift, tick=True).start()
    args = sys.argv[1:]
    if args[:1] == ["-m"]:
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main()
