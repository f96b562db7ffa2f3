"""Create the starter indicator catalogue (``kvarter.indicators.catalogue.STARTER_CATALOGUE_V1``).

The data lives in a frozen constant so the demo and the tests read the same rows; a later change
to the catalogue gets its own constant and its own migration. Rows are matched by code, so
running forward twice changes nothing; going back removes the starter indicators that hold no
values (an indicator somebody has imported figures for is left in place rather than deleted
with its values).
"""

from django.db import migrations

from kvarter.indicators.catalogue import STARTER_CATALOGUE_V1


def create_catalogue(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for row in STARTER_CATALOGUE_V1:
        fields = dict(row)
        code = fields.pop("code")
        Indicator.objects.update_or_create(code=code, defaults=fields)


def remove_catalogue(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    codes = [row["code"] for row in STARTER_CATALOGUE_V1]
    Indicator.objects.filter(code__in=codes, values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_import_batch_notes"),
    ]

    operations = [
        migrations.RunPython(create_catalogue, remove_catalogue),
    ]
