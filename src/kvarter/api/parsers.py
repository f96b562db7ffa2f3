"""Request body parsers: DRF's, but refusing what they would read wrongly or crash on.

- JSON is read through :func:`kvarter.core.json_input.loads` (a nesting limit, so a deeply
  nested body is a 400 and not a ``RecursionError``).
- A form body must be UTF-8 after percent-decoding; Django's ``QueryDict`` would otherwise
  store ``U+FFFD`` in place of the bytes it could not read.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qsl

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from kvarter.core.json_input import TooDeeplyNested, loads

NOT_JSON = _("The request body is not valid JSON.")
TOO_DEEP = _("The request body nests too deeply.")
NOT_UTF8 = _("The request body is not valid UTF-8 text.")


def _encoding(parser_context: dict[str, Any] | None) -> str:
    return parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]


class JSONParser(parsers.JSONParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        body = stream.read() if stream is not None else b""
        try:
            text = body.decode(_encoding(parser_context))
            return loads(text)
        except UnicodeDecodeError as error:
            raise ParseError(NOT_UTF8) from error
        except TooDeeplyNested as error:
            raise ParseError(TOO_DEEP) from error
        except ValueError as error:
            raise ParseError(NOT_JSON) from error


class FormParser(parsers.FormParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        body = stream.read() if stream is not None else b""
        encoding = _encoding(parser_context)
        try:
            text = body.decode(encoding)
            parse_qsl(text, keep_blank_values=True, encoding=encoding, errors="strict")
        except UnicodeDecodeError as error:
            raise ParseError(NOT_UTF8) from error
        return super().parse(io.BytesIO(body), media_type, parser_context)
