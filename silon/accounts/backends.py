from django.contrib.auth.backends import ModelBackend


class ExpiringModelBackend(ModelBackend):
    """Django's backend, refusing accounts past their ``expires_at`` (LO accounts end with the election)."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "is_expired", False)
