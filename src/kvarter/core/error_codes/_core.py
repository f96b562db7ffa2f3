"""Codes every door knows: access, staleness, generic form and API input."""

from django.utils.translation import gettext_lazy as _

CODES = {
    "permission_denied": _("You do not have permission to do this."),
    "not_found": _("Not found (or not yours to use)."),
    "not_authenticated": _("Log in first."),
    "stale_version": _(
        "Someone else has changed this since you opened it. Reload the page to see "
        "their change, then make yours again."
    ),
    "invalid": _("The value is not valid."),
    "required": _("This field is required."),
    "does_not_exist": _("Unknown id."),
    "max_value": _("The amount is too large."),
    "too_large": _("The number is too large."),
    "too_precise": _("The number has too many decimals."),
    "personal_data": _("The text contains personal data. Remove it and try again."),
    "file_too_large": _("The file is too large."),
    "malformed_json": _("The request is not valid JSON."),
    "token_expired": _("The API token has expired; ask an administrator for a new one."),
    "backup_unsupported_database": _("The database %(vendor)s cannot be backed up here."),
    "backup_tool_missing": _("pg_dump is not installed."),
    "backup_failed": _("pg_dump failed: %(detail)s"),
    "out_of_range": _("Must be a whole number from %(low)s to %(high)s."),
    "null_character": _("The address contains a null character, which is not allowed."),
}
