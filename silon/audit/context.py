"""The current request's client address, for audit events written deep inside services."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)
