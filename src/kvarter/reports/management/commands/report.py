"""``kvarter report followup PLAN --format pdf|docx|xlsx|json|html --out FILE`` and
``kvarter report profile AREA_ID --format pdf|docx|xlsx|json --out FILE`` (an area profile) and
``kvarter report picture --municipality CODE --week 2026-W48 [--area NAME] --format pdf|json
--out FILE`` (the weekly situational picture, one A4 page) and
``kvarter report est-strategic --municipality CODE --year Y [--quarter Q] --format
pdf|docx|xlsx --out FILE`` (the management group's EST summary) and ``kvarter report
crime-prevention --municipality CODE --year Y --format docx|pdf --out FILE`` (a draft of the
statutory crime-prevention situational picture from EST reports). The two EST documents hide
small counts as for the management group; ``--exact`` shows every count (for EST members).

The CLI is a trusted door: it acts as :data:`kvarter.core.actors.SYSTEM`, which sees every
measure of the plan. ``--area`` and ``--unit`` narrow the report like the web page's filters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.followup.documents.report import followup_document
from kvarter.followup.goal_fulfilment import round_report_summary
from kvarter.followup.models import FollowUpRound, RoundKind
from kvarter.followup.selectors import latest_round, visible_measures
from kvarter.plans.models import Plan
from kvarter.reports.formats import render

FORMATS = ("pdf", "docx", "xlsx", "json", "html")


class Command(BaseCommand):
    help = "Write a report of an action plan: the follow-up of a round (default: the latest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "report",
            choices=["followup", "profile", "picture", "est-strategic", "crime-prevention"],
            help="which report",
        )
        parser.add_argument(
            "plan",
            nargs="?",
            default="",
            help="the plan's name or id (followup); the area's id (profile); none (picture)",
        )
        parser.add_argument("--municipality", help="four-digit municipality code")
        parser.add_argument(
            "--round", help="YEAR or YEAR:KIND (yearly, dr1, dr2); default the latest round"
        )
        parser.add_argument(
            "--area", help="only the measures of this area (name); picture: names, comma-separated"
        )
        parser.add_argument("--week", help="picture: ISO week, e.g. 2026-W48, or a date")
        parser.add_argument("--unit", help="only the measures of this unit (abbreviation)")
        parser.add_argument("--year", type=int, help="est-strategic, crime-prevention: the year")
        parser.add_argument(
            "--quarter", type=int, choices=[1, 2, 3, 4], help="est-strategic: the quarter"
        )
        parser.add_argument(
            "--exact",
            action="store_true",
            help="est-strategic, crime-prevention: show small counts (for EST members only)",
        )
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--language", default="sv", choices=["sv", "en"])
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["report"] == "profile":
            self._profile(options)
            return
        if options["report"] == "picture":
            self._picture(options)
            return
        if options["report"] in ("est-strategic", "crime-prevention"):
            self._est_strategic(options)
            return
        if not options["plan"]:
            raise CommandError("Ange planen / Give the plan")
        plan = _plan(options["plan"], options.get("municipality"))
        round = _round(plan, options.get("round"))
        area = _area(plan, options.get("area"))
        unit = _unit(plan, options.get("unit"))
        out: Path = options["out"]
        fmt: str = options["format"]
        if fmt == "json":
            measures = visible_measures(SYSTEM, plan, area=area, unit=unit)
            summary = round_report_summary(round, measures, area=area, unit=unit)
            data = json.dumps(summary, ensure_ascii=False, indent=2)
            content: bytes = data.encode("utf-8")
        else:
            doc = followup_document(
                round, user=SYSTEM, area=area, unit=unit, language=options["language"]
            )
            content = render(doc, fmt)
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Kan inte skriva / Cannot write {out}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{out} ({len(content):,} bytes)"))

    def _profile(self, options: dict[str, Any]) -> None:
        """An area profile, as SYSTEM sees it (every indicator of the area)."""
        from kvarter.areas.selectors import access_area_by_id
        from kvarter.core.errors import NotFoundOrForbidden
        from kvarter.indicators.documents import FORMATS as PROFILE_FORMATS
        from kvarter.indicators.documents import render_area_profile
        from kvarter.indicators.profile import area_profile

        fmt: str = options["format"]
        if fmt not in PROFILE_FORMATS:
            raise CommandError(
                f"En områdesprofil finns som {', '.join(PROFILE_FORMATS)} / An area profile "
                f"comes as {', '.join(PROFILE_FORMATS)}"
            )
        try:
            area = access_area_by_id(SYSTEM, options["plan"])
        except NotFoundOrForbidden as error:
            raise CommandError(f"Området finns inte / No such area: {options['plan']}") from error
        profile = area_profile(actor=SYSTEM, area=area)
        content = render_area_profile(profile, fmt, language=options["language"])
        out: Path = options["out"]
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Kan inte skriva / Cannot write {out}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{out} ({len(content):,} bytes)"))

    def _est_strategic(self, options: dict[str, Any]) -> None:
        """The EST strategic summary or the crime-prevention draft of a municipality."""
        from kvarter.areas.models import Municipality
        from kvarter.safety.documents.strategic import (
            crime_prevention_document,
            est_strategic_document,
        )

        fmt: str = options["format"]
        allowed = (
            ("pdf", "docx", "xlsx") if options["report"] == "est-strategic" else ("docx", "pdf")
        )
        if fmt not in allowed:
            raise CommandError(
                f"Rapporten finns som {', '.join(allowed)} / The report comes as "
                f"{', '.join(allowed)}"
            )
        code = options.get("municipality") or ""
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"Kommunen finns inte / No such municipality: {code or '–'}")
        year = options.get("year")
        if not year:
            raise CommandError("Ange --year / Give --year")
        exact = (
            list(Area.objects.filter(municipality=municipality).values_list("pk", flat=True))
            if options.get("exact")
            else []
        )
        if options["report"] == "est-strategic":
            doc = est_strategic_document(
                municipality=municipality,
                year=year,
                quarter=options.get("quarter"),
                exact_area_ids=exact,
                language=options["language"],
            )
        else:
            doc = crime_prevention_document(
                municipality=municipality,
                year=year,
                exact_area_ids=exact,
                language=options["language"],
            )
        content = render(doc, fmt)
        out: Path = options["out"]
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Kan inte skriva / Cannot write {out}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{out} ({len(content):,} bytes)"))

    def _picture(self, options: dict[str, Any]) -> None:
        """The weekly situational picture, as SYSTEM sees it (raw counts; the read is logged)."""
        from kvarter.areas.models import Municipality
        from kvarter.safety.documents.picture import FORMATS as PICTURE_FORMATS
        from kvarter.safety.documents.picture import render_picture
        from kvarter.safety.picture import situational_picture
        from kvarter.safety.picture_rules import IsoWeek, WeekError

        fmt: str = options["format"]
        if fmt not in PICTURE_FORMATS:
            raise CommandError(
                f"En lägesbild finns som {', '.join(PICTURE_FORMATS)} / A situational picture "
                f"comes as {', '.join(PICTURE_FORMATS)}"
            )
        code = options.get("municipality") or ""
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(f"Kommunen finns inte / No such municipality: {code or '–'}")
        try:
            week = IsoWeek.parse(options.get("week") or "")
        except WeekError as error:
            raise CommandError(
                f"--week är t.ex. 2026-W48 / --week is e.g. 2026-W48: {options.get('week')}"
            ) from error
        areas = None
        if options.get("area"):
            areas = []
            for name in (n.strip() for n in options["area"].split(",") if n.strip()):
                found = Area.objects.filter(municipality=municipality, name__iexact=name).first()
                if found is None:
                    raise CommandError(f"Området finns inte / No such area: {name}")
                areas.append(found)
        picture = situational_picture(
            actor=SYSTEM,
            municipality=municipality,
            week=week,
            areas=areas,
            door="cli",
            include_reports=fmt == "json",
        )
        content = render_picture(picture, fmt, language=options["language"])
        out: Path = options["out"]
        try:
            out.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Kan inte skriva / Cannot write {out}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{out} ({len(content):,} bytes)"))


def _plan(name_or_id: str, municipality_code: str | None) -> Plan:
    plans = Plan.objects.select_related("municipality")
    if municipality_code:
        plans = plans.filter(municipality__code=municipality_code)
    found = list(plans.filter(name__iexact=name_or_id))
    if not found and name_or_id.isdigit():
        found = list(plans.filter(pk=int(name_or_id)))
    if not found:
        raise CommandError(f"Planen finns inte / No such plan: {name_or_id}")
    if len(found) > 1:
        raise CommandError(
            "Flera kommuner har en plan med det namnet; ange --municipality / Several "
            "municipalities have a plan of that name; give --municipality."
        )
    return found[0]


def _round(plan: Plan, spec: str | None) -> FollowUpRound:
    if not spec:
        latest = latest_round(plan)
        if latest is None:
            raise CommandError(f"Planen har ingen uppföljning / The plan has no round: {plan}")
        return latest
    year_text, _, kind = spec.partition(":")
    if not year_text.isdigit() or (kind and kind not in RoundKind.values):
        raise CommandError(
            f"--round är YEAR eller YEAR:KIND / --round is YEAR or YEAR:KIND: {spec}"
        )
    found = plan.rounds.filter(year=int(year_text), kind=kind or RoundKind.YEARLY).first()
    if found is None:
        raise CommandError(f"Uppföljningen finns inte / No such round: {spec}")
    return found


def _area(plan: Plan, name: str | None) -> Area | None:
    if not name:
        return None
    area = Area.objects.filter(municipality_id=plan.municipality_id, name__iexact=name).first()
    if area is None:
        raise CommandError(f"Området finns inte / No such area: {name}")
    return area


def _unit(plan: Plan, abbreviation: str | None) -> Organisation | None:
    if not abbreviation:
        return None
    units = Organisation.objects.filter(municipality_id=plan.municipality_id)
    unit = (
        units.filter(short_name__iexact=abbreviation).first()
        or units.filter(name__iexact=abbreviation).first()
    )
    if unit is None:
        raise CommandError(f"Enheten finns inte / No such unit: {abbreviation}")
    return unit
