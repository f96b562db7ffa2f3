"""``kvarter compute-area-types [--year Y]``: socio-economic index and area type per area."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.indicators.area_types import INPUT_CODES, Reference, area_types_compute_run


class Command(BaseCommand):
    help = (
        "Compute each area's socio-economic index and area type (områdestyp, SCB/Delmos "
        "method) from its stored values. Without --year every year with input values. An area "
        "lacking an input gets no type for that year. The national mean and standard deviation "
        "come from the stored RegSO (else DeSO) values, or from --reference-mean/--reference-sd."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="one year, e.g. 2023")
        parser.add_argument("--municipality", help="four-digit code: only this municipality")
        parser.add_argument("--reference-mean", type=float, help="national mean of the index")
        parser.add_argument("--reference-sd", type=float, help="its standard deviation")

    def handle(self, *args: Any, **options: Any) -> None:
        mean, sd = options["reference_mean"], options["reference_sd"]
        if (mean is None) != (sd is None):
            raise CommandError(
                "Ange både --reference-mean och --reference-sd / Give both --reference-mean "
                "and --reference-sd."
            )
        if sd is not None and sd <= 0:
            raise CommandError("--reference-sd måste vara större än 0 / must be above 0.")
        reference = Reference(mean, sd, "given", 0) if mean is not None and sd else None
        areas = Area.objects.select_related("municipality").order_by("municipality", "name")
        if options["municipality"]:
            areas = areas.filter(municipality__code=options["municipality"])
        run = area_types_compute_run(
            year=options["year"], areas=list(areas), reference=reference, actor=SYSTEM
        )
        for year in run.years_without_reference:
            self.stderr.write(
                f"{year}: ingen nationell fördelning (minst RegSO- eller DeSO-värden för "
                f"{', '.join(INPUT_CODES)}) / no national distribution for {year}."
            )
        for area, year, missing in run.missing_inputs:
            self.stdout.write(
                f"{area} {year}: ingen områdestyp, saknar / no area type, missing "
                f"{', '.join(missing)}"
            )
        written = len(run.area_types) - run.unchanged
        self.stdout.write(
            self.style.SUCCESS(
                f"Områdestyper / area types: {written} nya eller ändrade / new or changed, "
                f"{run.unchanged} oförändrade / unchanged, {run.removed} borttagna / removed, "
                f"{len(run.missing_inputs)} utan indata / without inputs."
            )
        )
