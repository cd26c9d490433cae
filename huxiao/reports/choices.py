"""Choices of this app."""

# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "document_template.replace": "更换文书模板",
    "document_template.reset": "恢复内置文书模板",
}
