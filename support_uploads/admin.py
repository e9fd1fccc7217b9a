"""Admin of independent support: registered from the modules that own the models."""

from .verification import admin as verification_admin  # noqa: F401
