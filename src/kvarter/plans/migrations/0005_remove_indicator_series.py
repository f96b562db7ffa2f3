"""The hand-entered series live on as "own figures" indicators (0004): criteria point at the
catalogue only, and the series tables go, so there is one source of truth for every figure."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_series_to_own_indicators"),
    ]

    operations = [
        migrations.RemoveField(model_name="quantitativecriterion", name="series"),
        migrations.AlterField(
            model_name="quantitativecriterion",
            name="indicator",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="criteria",
                to="indicators.indicator",
                verbose_name="indicator",
            ),
        ),
        migrations.DeleteModel(name="SeriesValue"),
        migrations.DeleteModel(name="IndicatorSeries"),
    ]
