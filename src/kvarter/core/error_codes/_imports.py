"""Codes about an input file as a whole, shared by every importer."""

from django.utils.translation import gettext_lazy as _

CODES = {
    "encoding": _("The file is neither UTF-8 nor Windows-1252."),
    "not_utf8": _("The file is not UTF-8."),
    "unreadable_file": _("The file cannot be read."),
    "unsupported_file_type": _("Save the file as CSV (semicolon or comma separated)."),
    "empty_file": _("The file has no header."),
    "broken_quoting": _("Broken quoting; the rest of the file could not be read."),
    "field_count": _("The row has %(found)s fields but the header %(expected)s."),
    "short_row": _("The row has fewer fields than the header."),
    "duplicate_column": _("The column '%(column)s' appears more than once."),
    "missing_column": _("The column '%(column)s' is missing."),
    "more_problems": _("… and %(rest)s more problems (the first %(shown)s are shown)."),
    "concurrent_import": _(
        "The same rows were imported by someone else at the same time; try again."
    ),
    "not_json": _("The file is not valid JSON."),
    "unknown_json": _("The JSON file is of a kind that cannot be imported."),
    "unknown_format": _("The file's format is not recognised."),
    "duplicate": _("The same value appears twice in the file."),
    "field_too_large": _("A field is longer than %(limit)s characters (lines %(start)s–%(end)s)."),
    "too_many_rows": _("The file has more than %(cap)s rows."),
    "too_many_cells": _("The file has more than %(cap)s cells."),
    "unpacked_too_large": _(
        "The Excel file unpacks to %(size)s MB; at most %(cap)s MB is accepted."
    ),
}
