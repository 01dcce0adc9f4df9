from django.db import migrations, models


class Migration(migrations.Migration):
    """A work order's lines are not "cycles" in code: ``WorkOrderCycle`` → ``WorkOrderLine``."""

    # After the batches app first referenced the old name, so the rename carries its FK along.
    dependencies = [("workorders", "0001_initial"), ("batches", "0001_initial")]

    operations = [
        migrations.RenameModel("WorkOrderCycle", "WorkOrderLine"),
        migrations.AlterField(
            model_name="workorderline",
            name="work_order",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE, related_name="lines", to="workorders.workorder"
            ),
        ),
        migrations.AlterField(
            model_name="workorderline",
            name="work_flow",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="lines", to="workorders.workflow"
            ),
        ),
        migrations.AlterField(
            model_name="workorderline",
            name="work_flow_version",
            field=models.ForeignKey(
                editable=False,
                on_delete=models.deletion.PROTECT,
                related_name="lines",
                to="workorders.workflowversion",
            ),
        ),
    ]
