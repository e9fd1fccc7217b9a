"""The API's paging: DRF's limit/offset with a ceiling on ``limit``.

Without ``max_limit`` a client's ``?limit=`` goes straight into SQL: a number beyond PostgreSQL's bigint
made the query fail (a 500, found by ``tests/security/test_api_fuzz.py``), and a very large one asked for
every row at once. Larger requests get the ceiling; ``next`` links lead on.
"""

from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = 1000
