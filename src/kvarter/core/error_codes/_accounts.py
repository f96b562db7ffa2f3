"""Codes of the accounts domain: onboarding a municipality's organisation register."""

from django.utils.translation import gettext_lazy as _

CODES = {
    "unknown_kind": _("Unknown type '%(kind)s'."),
    "unknown_parent": _(
        "The organisation '%(parent)s' is neither in the file nor in the register."
    ),
    "parent_cycle": _("The organisation is part of itself (through parent)."),
}
