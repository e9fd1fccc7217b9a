"""The current request's client address, for audit events written deep inside services."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)

# The actions recorded while the current request runs (a list per request, None outside one), so the
# supervision middleware records a Bawaslu read only when the view did not already audit it.
request_actions: ContextVar[list[str] | None] = ContextVar("audit_request_actions", default=None)
