"""The seed's categories of key persons (§四（二）三), each with its 统计表 group; editable later."""

from django.db import migrations

CATEGORIES = [
    ("严重精神障碍患者（易肇事肇祸）", "mental"),
    ("重点上访人员", "petition"),
    ("吸毒人员", "drug"),
    ("心理失衡/对社会不满人员", "other"),
    ("曾因涉校违法犯罪被打击处理人员", "released"),
    ("其他", "other"),
]


def add(apps, schema_editor):
    Category = apps.get_model("people", "Category")
    for order, (name, group) in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"stat_group": group, "order": order})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_sensitive_registers")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
