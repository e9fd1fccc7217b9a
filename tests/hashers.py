"""A password hasher for the test processes only: Django's PBKDF2 with one iteration instead of a million.

Test factories give every user a password and many tests log in with it; at about 0.3 s per hash on this
machine, hashing was a large share of the suite's time. The hashes keep the ``pbkdf2_sha256$<iterations>$``
form, so every other process a test starts (gunicorn, a Celery worker) verifies them with its own default
hasher. Production settings are untouched (``silon/settings.py``)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneIterationPBKDF2(PBKDF2PasswordHasher):
    iterations = 1
