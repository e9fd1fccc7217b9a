"""The OpenAPI schema documents the refusals as well as the successes.

drf-spectacular lists only an operation's success code. A client (and the schemathesis fuzzing in
``tests/security/test_api_fuzz.py``) must also know the errors every operation can answer, and what their
bodies look like, so each operation gets, beside the answers its view declares:

- 400 when it changes something or takes query parameters beyond paging (a validation error: field → messages, or a
  list of messages);
- 403 always: not signed in, a role that may not do this, or an account that must change its password first
  (``silon.accounts.middleware``);
- 404 when its path names an object (outside the caller's reach looks the same as absent);
- 415 when it takes a body (a media type no parser reads);
- 429 when the view is throttled.

Every error body but a validation error is ``{"detail": "..."}`` (``ErrorDetailSerializer``); views name it for
their own extra refusals (``413: ErrorDetailSerializer``). Under /api/ even a URL the URL conf does not know
answers that way (``silon.views``).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

PAGING_PARAMETERS = {"limit", "offset"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorDetailSerializer(serializers.Serializer):
    """Why the request was refused."""

    detail = serializers.CharField()


VALIDATION_ERRORS = ResolvedComponent(
    name="ValidationErrors",
    type=ResolvedComponent.SCHEMA,
    object="ValidationErrors",
    schema={
        "description": "Messages per field (or non_field_errors / detail), or a plain list of messages.",
        "oneOf": [{"type": "object", "additionalProperties": {}}, {"type": "array", "items": {}}],
    },
)


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in self._refusals():
            if code in responses:
                continue
            if code == "400":
                self.registry.register_on_missing(VALIDATION_ERRORS)
                response = {"content": {"application/json": {"schema": VALIDATION_ERRORS.ref}}}
            else:
                response = self._get_response_for_code(ErrorDetailSerializer, code, direction=direction)
            responses[code] = {**response, "description": description}
        return responses

    def _refusals(self):
        query = {p["name"] for p in self._get_parameters() if p.get("in") == "query"}
        if self.method in UNSAFE_METHODS or query - PAGING_PARAMETERS:
            yield "400", "Invalid request."
        yield "403", "Not signed in, not allowed for this role, or a password change is due."
        if "{" in self.path:
            yield "404", "No such object within the caller's reach."
        if self._get_request_body():
            yield "415", "Unsupported media type."
        if any(self.method in getattr(t, "methods", {self.method}) for t in self.view.get_throttles()):
            yield "429", "Too many requests; retry later."
