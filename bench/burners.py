"""CPU burners: processes that keep a core busy beside a benchmark (issue #18: the deadline crunch quiet and with
two busy CPU-burning processes beside it), as other work on a shared machine does."""

import contextlib
import subprocess
import sys
from collections.abc import Iterator

BURN = "while True: pass"


@contextlib.contextmanager
def cpu_burners(count: int) -> Iterator[list[subprocess.Popen]]:
    """``count`` busy-looping Python processes for the length of the block, killed afterwards."""
    procs = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(count)]
    try:
        yield procs
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait(timeout=10)
