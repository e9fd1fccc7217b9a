"""The candidacy API: the same services and selectors as the pages, behind DRF.

Objects outside the caller's reach are absent from its querysets and answer 404; read-only roles (Bawaslu,
party admins, verifiers, a pair's LO) may GET but not change anything (403), except a party admin's
confirmation. Split by concern: elections, pairs, the pairs' candidates and their documents.
"""

from .documents import DocumentViewSet
from .elections import ElectionViewSet
from .pairs import PairViewSet
from .responses import PairResponseViewSet, PublicResponseViewSet

__all__ = ["DocumentViewSet", "ElectionViewSet", "PairResponseViewSet", "PairViewSet", "PublicResponseViewSet"]
