"""What every candidacy endpoint shares: the permission and two field types. A service's refusal needs no
wrapper: ``silon.errors.api_exception_handler`` answers it (400 per field, or under ``non_field_errors``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers

from ..access import can_write

# Actions a pair's own party admin may POST: the service itself admits that admin only.
TEAM_WRITE_ACTIONS = frozenset({"confirm"})


class CandidacyPermission(permissions.BasePermission):
    """Reads for every signed-in user (scoped by the querysets); writes for KPU operators only."""

    message = _("Peran Anda hanya dapat membaca data.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "action", None) in TEAM_WRITE_ACTIONS:
            return True
        return can_write(request.user)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent as multipart; described as binary in the schema."""


@extend_schema_field(OpenApiTypes.STR)
class CandidateRoleField(serializers.SlugRelatedField):
    """A candidate of the pair named by its role (``head`` or ``deputy``); a plain string in the schema so the
    public API's role enum keeps its single name."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="role", **kwargs)
