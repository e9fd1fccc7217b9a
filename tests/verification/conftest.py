"""Fixtures of the verification tests: the support fixtures (region list, election, pair, LO), reused as they are."""

from tests.support_uploads.conftest import *  # noqa: F403
