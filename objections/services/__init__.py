"""Every write of ``objections``: the public check's record, an objection's filing and KPU's decision."""

from .checks import CheckAnswer, public_check_run
from .objections import objection_decide, objection_file

__all__ = ["CheckAnswer", "objection_decide", "objection_file", "public_check_run"]
