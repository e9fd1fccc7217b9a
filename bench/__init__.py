"""Benchmarks: ``python -m bench`` (or ``make bench``) runs every module listed in ``bench.__main__.BENCHES``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project: where manage.py, celery and gunicorn run
OUT = Path(__file__).resolve().parent / "out"  # generated files and logs, kept between runs
