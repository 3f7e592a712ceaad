"""The workflow "Kiểm soát tài liệu" (review, then approval), attached to ControlledDocument.

Created by a migration so every fresh database, test databases included, controls documents from
the first moment; the admin may rename the steps but not remove the workflow's purpose.
"""

from django.db import migrations

WORKFLOW_NAME = "Kiểm soát tài liệu"
STEPS = [
    ("documentreviewtask", "DocumentReviewTask", "Xem xét"),
    ("documentapprovaltask", "DocumentApprovalTask", "Phê duyệt ban hành"),
]


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    document_type, _ = ContentType.objects.get_or_create(
        app_label="documents", model="controlleddocument"
    )
    if WorkflowContentType.objects.filter(content_type=document_type).exists():
        return
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    for order, (model_name, class_name, title) in enumerate(STEPS):
        task_type, _ = ContentType.objects.get_or_create(app_label="documents", model=model_name)
        task = apps.get_model("documents", class_name).objects.create(
            name=title, content_type=task_type, active=True
        )
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=order)
    WorkflowContentType.objects.create(content_type=document_type, workflow=workflow)


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(content_type__app_label="documents").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_workflow_register"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
