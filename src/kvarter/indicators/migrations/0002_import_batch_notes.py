from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="notes",
            field=models.JSONField(blank=True, default=list, verbose_name="notes"),
        ),
    ]
