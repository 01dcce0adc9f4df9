from django.db import migrations, models


class Migration(migrations.Migration):
    """A work order's and a line's cycles are ``.cycles`` (they were ``.units``)."""

    dependencies = [("batches", "0001_initial"), ("workorders", "0002_work_order_lines")]

    operations = [
        migrations.AlterField(
            model_name="cycle",
            name="work_order",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE, related_name="cycles", to="workorders.workorder"
            ),
        ),
        migrations.AlterField(
            model_name="cycle",
            name="line",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="cycles",
                to="workorders.workorderline",
            ),
        ),
        migrations.AlterField(
            model_name="cycle",
            name="work_flow_version",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="cycles",
                to="workorders.workflowversion",
            ),
        ),
    ]
