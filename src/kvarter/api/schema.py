"""The OpenAPI schema says what the API answers, refusals included.

- Every operation documents the error answers it can give (400, 401, 403, 404, 409), all in
  the one error shape of :mod:`kvarter.api.exceptions`.
- Reads that need no login (``requires_login`` unset) say so: their security requirements
  include the empty one, so an anonymous 200 is what the schema promises.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from rest_framework.permissions import SAFE_METHODS

ERRORS_REF = {"$ref": "#/components/schemas/Errors"}

ERRORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Why the request was refused; tests and clients match on 'code'.",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "row": {"type": "integer", "description": "imports: the file's row"},
                },
                "required": ["field", "code", "message"],
            },
        }
    },
    "required": ["errors"],
}

ERROR_ANSWERS = {
    "400": "The request is not valid (a parameter, the body, or a rule of the domain).",
    "401": "Not logged in (no valid token or session).",
    "403": "Logged in, but not allowed to do this.",
    "404": "Not found, or not visible to the caller (the same answer for both).",
    "409": "Someone else changed the object since the client read it.",
}


class AutoSchema(openapi.AutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        public = self.method in SAFE_METHODS and not getattr(self.view, "requires_login", False)
        if public and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_ANSWERS.items():
            content = {"application/json": {"schema": ERRORS_REF}}
            responses.setdefault(code, {"description": description, "content": content})
        return responses


def add_errors_component(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: the ``Errors`` component the error answers refer to."""
    result.setdefault("components", {}).setdefault("schemas", {})["Errors"] = ERRORS_SCHEMA
    return result
