"""Catalogue version 2: SCB's socio-economic index and its inputs as SCB's table defines them.

Adds ``socioekonomiskt-index`` and ``utbildning-forgymnasial-20-64`` and corrects the definition
and source of ``bistand-eller-langtidsarbetslos-20-64`` (see
``kvarter.indicators.catalogue.CATALOGUE_V2``). Going back restores the version 1 row and removes
the added indicators that hold no values.
"""

from django.db import migrations

from kvarter.indicators.catalogue import CATALOGUE_V2, STARTER_CATALOGUE_V1


def apply_v2(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for row in CATALOGUE_V2:
        fields = dict(row)
        code = fields.pop("code")
        Indicator.objects.update_or_create(code=code, defaults=fields)


def restore_v1(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    v1 = {row["code"]: row for row in STARTER_CATALOGUE_V1}
    for row in CATALOGUE_V2:
        code = row["code"]
        if code in v1:
            fields = dict(v1[code])
            fields.pop("code")
            Indicator.objects.update_or_create(code=code, defaults=fields)
        else:
            Indicator.objects.filter(code=code, values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_starter_catalogue"),
    ]

    operations = [
        migrations.RunPython(apply_v2, restore_v1),
    ]
