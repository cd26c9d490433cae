"""The staff register in and out of Excel: the import (every row through `member_register`, all
or nothing, each problem with its row, column and rule; only the schools the user keeps; a
double click registers once; the blank template) and the export (the school's and the 学区's,
the page's filter, the 身份证号 masked, no finding, neutralised cells, printed on A4 landscape
with the header repeated, audited; 404 for everyone else)."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from huxiao.core.models import AuditEvent
from huxiao.lib.masks import mask_id
from huxiao.staff import imports
from huxiao.staff.exports import HEADER_ROW, HEADERS
from huxiao.staff.imports import COLUMNS, EXAMPLE_ID
from huxiao.staff.models import StaffMember
from huxiao.staff.tests.builders import TODAY, adverse, cleared, guard, id_number, member

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(TODAY)]

IMPORT = reverse("staff:member-import")
TEMPLATE = reverse("staff:member-import-template")
EXPORT = reverse("staff:member-export")
FINDING = "2015年因盗窃被判处有期徒刑六个月"
IMPORT_HEADERS = [c.header for c in COLUMNS]
QS, MD = "蒲吕青松中学", "蒲吕明德小学"  # the cast's schools


def teacher_row(school: str, seq: int, **overrides) -> dict:
    row = {
        "学校": school,
        "姓名": f"导入教师{seq}",
        "身份证号": id_number(seq),
        "岗位": "教师",
        "到岗日期": "2021/9/1",
    }
    row.update(overrides)
    return row


def guard_row(school: str, seq: int, **overrides) -> dict:
    row = {
        "学校": school,
        "姓名": f"导入保安{seq}",
        "身份证号": id_number(seq),
        "岗位": "专职保安员",
        "用工方式": "保安服务公司/劳务派遣",
        "保安服务公司/派遣单位": "铜梁安保公司",
        "服务合同编号": "BA-2026-007",
        "合同截止日期": dt.datetime(2027, 8, 31),
        "到岗日期": "2024年9月1日",
        "保安员证编号": "渝20240001",
        "发证机关": "铜梁区公安分局",
        "发证日期": "2024-06-01",
        "证件有效期至": "",
        "岗前培训日期": dt.date(2024, 8, 1),
        "岗前培训学时": 40,
    }
    row.update(overrides)
    return row


def xlsx(rows: list[dict], headers: list[str] = IMPORT_HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, content: bytes, token: str = ""):
    return client.post(
        IMPORT, {"file": SimpleUploadedFile("人员.xlsx", content), "submission": token or uuid.uuid4().hex}
    )


# --- Import ------------------------------------------------------------------------------------


def test_a_good_file_registers_every_row_through_the_service(cast, client):
    client.force_login(cast.qingsong_lead)
    response = upload(client, xlsx([teacher_row(QS, 1), guard_row(QS, 2)]))
    assert response.status_code == 302 and response["Location"] == reverse("staff:member-list")
    keeper, teacher = StaffMember.objects.order_by("name")
    assert (keeper.name, teacher.name) == ("导入保安2", "导入教师1")
    assert teacher.school == cast.qingsong and teacher.started_on == dt.date(2021, 9, 1)
    assert teacher.plain("id_number") == id_number(1) and teacher.employer == "in_house"
    assert (keeper.role, keeper.employer, keeper.company) == ("guard", "company", "铜梁安保公司")
    assert keeper.started_on == dt.date(2024, 9, 1) and keeper.contract_until == dt.date(2027, 8, 31)
    assert keeper.licence_issued_on == dt.date(2024, 6, 1) and keeper.licence_valid_until is None
    assert (keeper.pretraining_on, keeper.pretraining_hours) == (dt.date(2024, 8, 1), 40)
    events = AuditEvent.objects.filter(action="staff.register", actor=cast.qingsong_lead)
    assert sorted(e.object_id for e in events) == sorted(str(m.pk) for m in (teacher, keeper))


def test_a_bad_id_number_and_an_unknown_role_save_nothing_and_both_are_listed(cast, client):
    client.force_login(cast.qingsong_lead)
    bad_id = id_number(2)[:-1] + ("1" if id_number(2)[-1] != "1" else "2")
    rows = [
        teacher_row(QS, 1),
        teacher_row(QS, 2, 身份证号=bad_id),
        guard_row(QS, 3, 岗位="厨师"),
    ]
    response = upload(client, xlsx(rows))
    assert response.status_code == 200
    assert not StaffMember.objects.exists()
    assert not AuditEvent.objects.filter(action="staff.register").exists()
    errors = [(e.row, e.column, e.message) for e in response.context["errors"]]
    assert errors == [
        (3, "身份证号", "校验位不正确，请核对后重新输入。"),
        (4, "岗位", f"须为以下之一：{'、'.join(imports.ROLE_BY_LABEL)}；当前为“厨师”"),
    ]
    html = response.content.decode()
    assert "第 3 行" in html and "第 4 行" in html and "未导入任何数据" in html


def test_a_row_of_a_school_the_user_does_not_keep_is_refused_by_its_row(cast, client):
    client.force_login(cast.qingsong_lead)
    response = upload(client, xlsx([teacher_row(QS, 1), teacher_row(MD, 2)]))
    assert not StaffMember.objects.exists()
    [error] = response.context["errors"]
    assert (error.row, error.column) == (3, "学校")
    assert f"“{MD}”不是您维护教职员工登记的学校" in error.message


def test_the_register_rules_come_from_the_service_and_repeats_are_named(cast, client):
    member(cast.qingsong_lead, cast.qingsong, 5)
    client.force_login(cast.qingsong_lead)
    rows = [
        teacher_row(QS, 1),
        teacher_row(QS, 5),  # already on duty
        teacher_row(QS, 1, 姓名="又一人"),  # the same number as row 2
        guard_row(QS, 6, **{"保安服务公司/派遣单位": ""}),
        teacher_row(QS, 7, 到岗日期="2026-12-01"),
        teacher_row(QS, 8, 姓名="（示例）张某某"),
        teacher_row(QS, 9, 姓名="=1+1"),
    ]
    response = upload(client, xlsx(rows))
    assert StaffMember.objects.count() == 1
    errors = {(e.row, e.column): e.message for e in response.context["errors"]}
    assert errors == {
        (3, "身份证号"): "该人员已在本校在岗登记，请勿重复登记。",
        (4, "身份证号"): "与第2行的身份证号重复（同一人在同一学校只登记一次）",
        (5, "保安服务公司/派遣单位"): "派遣用工须填写用工单位。",
        (6, "到岗日期"): "不能晚于今天（2026年11月26日）。",
        (7, "姓名"): "这是模板里的示例行，请删除本行或改为真实的人员",
        (8, "姓名"): "单元格是公式，请复制后“选择性粘贴为数值”再导入",
    }


def test_the_same_upload_sent_twice_registers_its_people_once(cast, client):
    client.force_login(cast.qingsong_lead)
    content = xlsx([teacher_row(QS, 1, 身份证号=""), teacher_row(QS, 2, 身份证号="")])
    token = uuid.uuid4().hex
    assert upload(client, content, token).status_code == 302
    assert upload(client, content, token).status_code == 302  # the double click
    assert StaffMember.objects.count() == 2
    assert upload(client, content).status_code == 302  # a new upload of the same people, no number
    assert StaffMember.objects.count() == 4


def test_the_whole_file_is_refused_with_one_message(cast, client, settings):
    client.force_login(cast.qingsong_lead)
    response = upload(client, xlsx([teacher_row(QS, 1)], headers=["学校", "姓名", "岗位", "工号"]))
    assert "缺少必填列：“到岗日期”" in response.context["message"]
    assert "无法识别的列：“工号”" in response.context["message"]
    settings.HUXIAO_IMPORT_MAX_ROWS = 2
    response = upload(client, xlsx([teacher_row(QS, i) for i in range(1, 4)]))
    assert "数据超过 2 行的上限" in response.context["message"]
    response = client.post(IMPORT, {"file": SimpleUploadedFile("人员.xlsx", b"not a workbook")})
    assert "不是 Excel 工作簿" in response.content.decode()
    assert not StaffMember.objects.exists()


def test_the_blank_template_has_the_headers_and_an_example_the_import_refuses(cast, client):
    client.force_login(cast.qingsong_lead)
    response = client.get(TEMPLATE)
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content))["教职员工登记"]
    assert [c.value for c in ws[1]] == IMPORT_HEADERS
    example = dict(zip(IMPORT_HEADERS, [c.value for c in ws[2]], strict=True))
    assert example["学校"] == QS and example["身份证号"] == EXAMPLE_ID
    errors = upload(client, content).context["errors"]
    assert [(e.row, e.column) for e in errors] == [(2, "姓名"), (2, "身份证号")]


def test_an_exported_file_cannot_be_imported_back_with_masked_numbers(cast, client):
    member(cast.qingsong_lead, cast.qingsong, 1)
    client.force_login(cast.qingsong_lead)
    exported = b"".join(client.get(EXPORT).streaming_content)
    errors = upload(client, exported).context["errors"]
    assert [(e.row, e.column) for e in errors] == [(HEADER_ROW + 1, "身份证号")]
    assert "打码" in errors[0].message


@pytest.mark.parametrize("who", ["centre_officer", "police", "sysadmin", "outsider", "official"])
def test_only_the_school_keepers_import(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(IMPORT).status_code == 404
    assert client.get(TEMPLATE).status_code == 404
    assert upload(client, xlsx([teacher_row(QS, 1)])).status_code == 404
    assert not StaffMember.objects.exists()


# --- Export ------------------------------------------------------------------------------------


@pytest.fixture
def register(cast):
    person = member(cast.qingsong_lead, cast.qingsong, 1, name="钱老师")
    adverse(cast.qingsong_lead, person)
    keeper = guard(cast.qingsong_lead, cast.qingsong, 2, name="孙保安")
    cleared(cast.qingsong_lead, keeper)
    other = member(cast.mingde_lead, cast.mingde, 3, name="李老师")
    return person, keeper, other


def exported(client, query: str = ""):
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))["教职员工登记"]


def rows_by_name(ws) -> dict[str, dict]:
    values = list(ws.iter_rows(values_only=True))
    assert list(values[HEADER_ROW - 1]) == HEADERS
    return {row[1]: dict(zip(HEADERS, row, strict=True)) for row in values[HEADER_ROW:]}


def all_text(ws) -> str:
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_the_school_exports_its_register_masked_and_without_findings(cast, client, register):
    _person, _keeper, _other = register
    client.force_login(cast.qingsong_lead)
    ws = exported(client)
    rows = rows_by_name(ws)
    assert set(rows) == {"钱老师", "孙保安"}
    teacher, keeper = rows["钱老师"], rows["孙保安"]
    assert teacher["身份证号"] == mask_id(id_number(1)) == "5001**********" + id_number(1)[-4:]
    assert teacher["学校"] == QS and teacher["岗位"] == "教师" and teacher["到岗日期"] == "2020年9月1日"
    assert teacher["人员审查"] == "有异常" and teacher["审查有效期至"] is None
    assert teacher["保安员证编号"] is None and teacher["保安员证状态"] is None
    assert keeper["人员审查"] == "审查有效" and keeper["审查有效期至"] == "2027年6月1日"
    assert keeper["保安员证编号"] == "渝20200002" and keeper["证件有效期至"] == "长期"
    assert keeper["保安员证状态"] == "持证上岗" and keeper["岗前培训学时"] == 40
    text = all_text(ws)
    assert id_number(1) not in text and id_number(2) not in text
    assert FINDING not in text and "盗窃" not in text
    assert "罗志强" in ws["A2"].value and "身份证号已打码" in ws["A2"].value


def test_the_sheet_prints_on_a4_landscape_with_the_header_on_every_page(cast, client, register):
    client.force_login(cast.qingsong_lead)
    ws = exported(client)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert "&P" in ws.oddFooter.right.text


def test_the_district_exports_its_schools_and_the_page_filter_applies(cast, client, register):
    client.force_login(cast.centre_officer)
    assert set(rows_by_name(exported(client))) == {"钱老师", "孙保安", "李老师"}
    assert set(rows_by_name(exported(client, f"?school={cast.mingde.pk}"))) == {"李老师"}
    assert set(rows_by_name(exported(client, "?flag=guards"))) == {"孙保安"}
    assert set(rows_by_name(exported(client, "?flag=adverse"))) == {"钱老师"}


def test_the_export_is_audited_with_its_row_count(cast, client, register):
    client.force_login(cast.centre_officer)
    exported(client)
    event = AuditEvent.objects.get(action="staff.export")
    assert event.actor == cast.centre_officer and event.after == {"rows": 3}
    assert event.organisation.name == "蒲吕学区管理中心"
    assert event.region_path and cast.qingsong.region.path.startswith(event.region_path)
    assert event.action_label == "导出教职员工登记"


@pytest.mark.parametrize("who", ["police", "sysadmin", "outsider", "official", "auditor", "observer"])
def test_everyone_else_gets_404_and_no_file(cast, client, register, who):
    client.force_login(getattr(cast, who))
    assert client.get(EXPORT).status_code == 404
    assert not AuditEvent.objects.filter(action="staff.export").exists()


def test_a_formula_looking_name_is_written_as_text(cast, client):
    member(cast.qingsong_lead, cast.qingsong, 1, name="=1+1", company="@SUM(A1)")
    member(cast.qingsong_lead, cast.qingsong, 2, name="王\x0b五")
    client.force_login(cast.qingsong_lead)
    rows = rows_by_name(exported(client))
    assert rows["'=1+1"]["保安服务公司/派遣单位"] == "'@SUM(A1)"
    assert "王五" in rows


def test_the_register_page_offers_import_to_keepers_and_export_with_its_filter(cast, client):
    client.force_login(cast.qingsong_lead)
    html = client.get(reverse("staff:member-list") + "?flag=guards").content.decode()
    assert f'href="{IMPORT}"' in html and f'href="{EXPORT}?flag=guards"' in html
    assert "下载导入模板" in client.get(IMPORT).content.decode()
    client.force_login(cast.centre_officer)
    html = client.get(reverse("staff:member-list")).content.decode()
    assert f'href="{IMPORT}"' not in html and f'href="{EXPORT}"' in html
