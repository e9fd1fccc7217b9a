"""The DPT import of ``bench.dpt_match`` in a spawned child process, so that its peak RSS is the import's alone.
No Django import at module level: the child unpickles this function before Django is set up."""

import resource
import time
from pathlib import Path


def import_child(election_id: int, user_id: int, path: str, pipe) -> None:
    import django

    django.setup()  # a spawned interpreter (polars' thread pool does not survive a fork)
    from celery import current_app
    from django.core.files import File

    from candidacy.models import Election
    from silon.accounts.models import User
    from support_uploads.services import dpt_import_create

    current_app.conf.task_always_eager = True
    try:
        started = time.perf_counter()
        with open(path, "rb") as fh:
            version = dpt_import_create(
                actor=User.objects.get(pk=user_id),
                election=Election.objects.get(pk=election_id),
                file=File(fh, name=Path(path).name),
            )
        seconds = time.perf_counter() - started
        pipe.send((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, version.pk, ""))
    except Exception as exc:  # reported by the parent as a failure
        pipe.send((0.0, 0, None, f"{type(exc).__name__}: {exc}"))
    finally:
        pipe.close()
