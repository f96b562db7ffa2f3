"""``kvarter export-plan --municipality CODE --plan NAME [--year YEAR] --out FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.followup.exporting import export_plan
from kvarter.followup.models import FollowUpRound, RoundKind
from kvarter.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Export an action plan with one follow-up round (YEAR, default the latest) as .csv or "
        ".xlsx, after the suffix of --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="four-digit municipality code")
        parser.add_argument("--plan", required=True, help="the plan's name")
        parser.add_argument("--year", type=int, help="the follow-up round's year")
        parser.add_argument("--out", required=True, type=Path, help="FILE.csv or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise CommandError("--out måste sluta på .csv eller .xlsx / must end in .csv or .xlsx")
        plan = Plan.objects.filter(
            municipality__code=options["municipality"], name__iexact=options["plan"]
        ).first()
        if plan is None:
            raise CommandError(
                f"Planen '{options['plan']}' finns inte i kommun {options['municipality']} / "
                f"No plan '{options['plan']}' in municipality {options['municipality']}."
            )
        round = None
        if options["year"] is not None:
            round = plan.rounds.filter(year=options["year"], kind=RoundKind.YEARLY).first()
            round = round or plan.rounds.filter(year=options["year"]).first()
            if round is None:
                raise CommandError(
                    f"Ingen uppföljning {options['year']} / No follow-up round {options['year']}."
                )
        data = export_plan(plan, round=round, fmt="csv" if fmt == "csv" else "xlsx")
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Kan inte skriva / Cannot write {out}: {error}") from error
        chosen: FollowUpRound | None = round or plan.rounds.order_by("-year", "-kind").first()
        follow_up = f", uppföljning/follow-up {chosen.year}" if chosen else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{plan.name}: {plan.measures.count()} åtgärder/measures{follow_up} → {out}"
            )
        )
