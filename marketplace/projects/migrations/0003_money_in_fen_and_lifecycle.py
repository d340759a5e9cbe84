"""Amounts in fen (integers) instead of yuan decimals; the full project lifecycle ("done" becomes "completed")."""

from decimal import Decimal

from django.db import migrations, models

import portal.core.money


def to_fen(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    for project in Project.objects.only("pk", "budget", "amount_raised").iterator():
        Project.objects.filter(pk=project.pk).update(
            budget_fen=int((project.budget or Decimal(0)) * 100),
            raised_fen=int((project.amount_raised or Decimal(0)) * 100),
        )
    Project.objects.filter(status="done").update(status="completed")


def to_yuan(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    for project in Project.objects.only("pk", "budget_fen", "raised_fen").iterator():
        Project.objects.filter(pk=project.pk).update(
            budget=Decimal(project.budget_fen) / 100, amount_raised=Decimal(project.raised_fen) / 100
        )
    Project.objects.filter(status__in=["completed", "evaluated"]).update(status="done")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_project_funding_fields"),
    ]

    operations = [
        migrations.AddField("project", "budget_fen", models.BigIntegerField(default=0)),
        migrations.AddField("project", "raised_fen", models.BigIntegerField(default=0)),
        migrations.RunPython(to_fen, to_yuan),
        migrations.RemoveField("project", "budget"),
        migrations.RemoveField("project", "amount_raised"),
        migrations.RenameField("project", "budget_fen", "budget"),
        migrations.RenameField("project", "raised_fen", "amount_raised"),
        migrations.AlterField(
            model_name="project",
            name="budget",
            field=portal.core.money.MoneyField(default=0, verbose_name="budget"),
        ),
        migrations.AlterField(
            model_name="project",
            name="amount_raised",
            field=portal.core.money.MoneyField(default=0, verbose_name="amount raised"),
        ),
        migrations.AddField(
            model_name="project",
            name="completed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="completed at"),
        ),
        migrations.AddField(
            model_name="project",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published at"),
        ),
        migrations.AlterField(
            model_name="project",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("published", "Published"),
                    ("funded", "Funded"),
                    ("in_progress", "In implementation"),
                    ("completed", "Completed"),
                    ("evaluated", "Evaluated"),
                    ("withdrawn", "Withdrawn"),
                ],
                db_index=True,
                default="draft",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.CheckConstraint(condition=models.Q(budget__gte=0), name="project_budget_not_negative"),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(amount_raised__gte=0), name="project_raised_not_negative"
            ),
        ),
    ]
