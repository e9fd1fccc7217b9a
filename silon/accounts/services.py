"""Writes on user accounts. Each writes its audit event in the same transaction."""

import secrets
import string
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silon.audit import actions
from silon.audit.services import audit_record

from .models import KpuLevel, Role, User

# No look-alike characters (0/O, 1/l/I) in passwords that are printed and typed by hand.
_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def one_time_password(length: int = 14) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    role: Role,
    region_code: str = "",
    level: KpuLevel | str = "",
    password: str | None = None,
    first_name: str = "",
    expires_at: datetime | None = None,
    must_change_password: bool | None = None,
) -> tuple[User, str]:
    """Create an account. Without ``password``, a one-time password is generated, returned once, and the
    account must change it at first login. Returns the user and the clear password (never stored)."""
    issued = password is None
    clear = one_time_password() if issued else password
    user = User(
        username=username,
        role=role,
        region_code=region_code,
        level=level,
        first_name=first_name,
        expires_at=expires_at,
        must_change_password=issued if must_change_password is None else must_change_password,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(clear)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action=actions.ACCOUNT_CREATE,
        obj=user,
        region_code=user.region_code,
        after={
            "username": username,
            "role": role,
            "region_code": region_code,
            "level": level,
            "expires_at": expires_at,
            "one_time_password": issued,
        },
    )
    return user, clear


def new_password_problem(*, user: User, new_password: str) -> str | None:
    """Why ``new_password`` cannot replace ``user``'s password (on top of the validators), or None: it must
    differ from the current one (the one-time password the issuing operator still knows) and from the
    username."""
    if user.check_password(new_password):
        return _("Kata sandi baru harus berbeda dari kata sandi saat ini (kata sandi sekali pakai yang diberikan).")
    if new_password.strip().casefold() == user.get_username().strip().casefold():
        return _("Kata sandi baru tidak boleh sama dengan nama pengguna.")
    return None


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    if problem := new_password_problem(user=user, new_password=new_password):
        raise ValidationError(problem)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, action=actions.ACCOUNT_PASSWORD_CHANGE, obj=user, region_code=user.region_code)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str) -> User:
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action=actions.ACCOUNT_DEACTIVATE, obj=user, region_code=user.region_code, after={"reason": reason}
    )
    return user
