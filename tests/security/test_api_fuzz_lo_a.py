"""The API fuzzing of ``test_api_fuzz.py`` as pair A's LO (a module per role, so that pytest-xdist's
``--dist loadfile`` runs the roles side by side)."""

import pytest

from .test_api_fuzz import fuzz_role, in_process_app, server_exceptions  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.fuzz, pytest.mark.django_db]


def test_api_answers_every_request_within_its_schema(world, client, in_process_app, server_exceptions):  # noqa: F811
    fuzz_role("lo_a", world, client, in_process_app, server_exceptions)
