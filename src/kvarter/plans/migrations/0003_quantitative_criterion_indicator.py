"""Quantitative criteria get a catalogue indicator and a place (area, or the whole
municipality) beside the hand-entered series they read so far. The series link becomes
optional here so that 0004 can move every criterion over and 0005 can drop it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("indicators", "0001_initial"),
        ("plans", "0002_goals"),
    ]

    operations = [
        migrations.AddField(
            model_name="quantitativecriterion",
            name="indicator",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="criteria",
                to="indicators.indicator",
                verbose_name="indicator",
            ),
        ),
        migrations.AddField(
            model_name="quantitativecriterion",
            name="area",
            field=models.ForeignKey(
                blank=True,
                help_text="Where the target is set; empty means the whole municipality.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="quantitative_criteria",
                to="areas.area",
                verbose_name="area",
            ),
        ),
        migrations.AlterField(
            model_name="quantitativecriterion",
            name="series",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="criteria",
                to="plans.indicatorseries",
                verbose_name="indicator",
            ),
        ),
    ]
