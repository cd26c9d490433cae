"""School register import from .xlsx: per-row errors, all-or-nothing, skip invalid rows,
progress as a background job, and the upload/status/template pages.

Demo cast (huxiao.demo): `pinganban` (蒲吕街道平安办, may import under 500151104), `bachuan`
(巴川街道平安办, the other subdistrict), `minjing` (蒲吕派出所 police, no import right).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from huxiao.accounts.models import User
from huxiao.core import jobs
from huxiao.core.models import AuditEvent, Job
from huxiao.demo.loader import load_demo
from huxiao.schools import services
from huxiao.schools.columns import HEADERS
from huxiao.schools.exports import write_register
from huxiao.schools.imports import CellError, as_count, open_sheet
from huxiao.schools.models import School

UPLOAD = reverse("schools:school-import")
TEMPLATE = reverse("schools:school-import-template")
PULV_VILLAGE = "500151104001"  # 蒲吕社区, inside pinganban's scope
SHILONG = "500151104201"  # 石龙村, also 蒲吕
BACHUAN_VILLAGE = "500151001001"  # 滨河社区, 巴川街道


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.HUXIAO_JOBS_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    return {u.username: u for u in User.objects.all()}


def school_row(name: str, **overrides) -> dict:
    """One valid row, by header."""
    row = {
        "学校名称": name,
        "学校标识码": "",
        "学校类型": "小学",
        "办学性质": "公办",
        "是否寄宿制": "否",
        "在校学生数": 300,
        "寄宿生数": 0,
        "教职工数": 25,
        "校长（园长）": "王校长",
        "校长电话": "13900000001",
        "分管安全负责人": "赵老师",
        "安全负责人电话": "13900000002",
        "所在区划代码": PULV_VILLAGE,
        "地址": "蒲吕街道新路1号",
        "纬度": 29.9,
        "经度": 106.12,
        "责任派出所": "蒲吕派出所",
        "学区管理中心": "蒲吕学区管理中心",
    }
    row.update(overrides)
    return row


def xlsx(rows: list[dict], *, headers: list[str] = HEADERS, above: tuple[list, ...] = ()) -> bytes:
    """A workbook: optional rows above the header (like the export's title), headers, rows."""
    wb = Workbook()
    ws = wb.active
    for line in above:
        ws.append(line)
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_import(user, content: bytes, *, skip_invalid: bool = False) -> Job:
    """The whole background pipeline without HTTP: a job with the file, run inline."""
    upload = SimpleUploadedFile("名录.xlsx", content)
    job = jobs.job_create(
        acting_user=user,
        kind=services.IMPORT_JOB_KIND,
        params={"filename": "名录.xlsx", "skip_invalid": skip_invalid},
        upload=upload,
    )
    jobs.start_job(job, services.school_import_run)
    job.refresh_from_db()
    return job


def errors_of(job: Job) -> list[tuple[int, str, str]]:
    return [tuple(e) for e in job.result.get("errors", [])]


def import_events():
    return AuditEvent.objects.filter(action="school.import")


# --- the import itself ------------------------------------------------------------------------


def test_a_good_file_creates_the_schools_and_one_audit_event(demo):
    before = School.objects.count()
    rows = [
        school_row("蒲吕新建第一小学", 学校标识码="5001519901"),
        school_row(
            "蒲吕新建寄宿中学",
            学校类型="初中",
            办学性质="民办",
            是否寄宿制="是",
            在校学生数="800",
            寄宿生数=200,
            所在区划代码=int(SHILONG),
            学区管理中心=None,
        ),
    ]
    job = run_import(demo["pinganban"], xlsx(rows))

    assert job.state == Job.State.SUCCEEDED, job.result
    assert job.result["created"] == 2 and job.done == job.total == 2
    assert School.objects.count() == before + 2
    boarding = School.objects.get(name="蒲吕新建寄宿中学")
    assert (boarding.school_type, boarding.ownership, boarding.is_boarding) == ("junior", "private", True)
    assert (boarding.students, boarding.boarders, boarding.region.code) == (800, 200, SHILONG)
    assert boarding.police_station.name == "蒲吕派出所" and boarding.school_district is None
    first = School.objects.get(name="蒲吕新建第一小学")
    assert first.code == "5001519901" and str(first.latitude) == "29.900000"

    event = import_events().get()
    assert event.actor == demo["pinganban"]
    assert event.after["created"] == 2 and event.after["rows"] == 2
    assert sorted(event.after["school_ids"]) == sorted([first.pk, boarding.pk])
    assert event.region_path == "500000/500151/500151104/"
    assert not job.input_file  # the upload (names, phone numbers) is not kept


def test_text_in_a_number_column_is_reported_with_row_and_column(demo):
    job = run_import(demo["pinganban"], xlsx([school_row("蒲吕甲小学", 在校学生数="三百")]))

    assert job.state == Job.State.FAILED
    assert errors_of(job) == [(2, "在校学生数", "须为不小于0的整数，当前为“三百”")]
    assert not School.objects.filter(name="蒲吕甲小学").exists()
    assert not import_events().exists()


@pytest.mark.parametrize(
    ("overrides", "column", "message_part"),
    [
        ({"学校名称": None}, "学校名称", "必填"),
        ({"学校类型": "大学"}, "学校类型", "须为以下之一：小学、初中"),
        ({"办学性质": "国有"}, "办学性质", "公办、民办"),
        ({"是否寄宿制": "Y"}, "是否寄宿制", "须填“是”或“否”"),
        ({"教职工数": -3}, "教职工数", "不小于0的整数"),
        ({"教职工数": 12.5}, "教职工数", "不小于0的整数"),
        ({"寄宿生数": 10}, "寄宿生数", "非寄宿制学校的寄宿生数应为0"),
        ({"是否寄宿制": "是", "寄宿生数": 400}, "寄宿生数", "不能多于在校学生数"),
        ({"纬度": 80}, "纬度", "须在 3 到 54 之间"),
        ({"经度": "东经106"}, "经度", "须为数字"),
        ({"经度": None}, "经度", "同时填写"),
        ({"所在区划代码": "500151104999"}, "所在区划代码", "不存在"),
        ({"所在区划代码": "500151"}, "所在区划代码", "不在您可以导入的范围内"),
        ({"责任派出所": "蒲吕学区管理中心"}, "责任派出所", "不是派出所"),
        ({"学区管理中心": "不存在的学区"}, "学区管理中心", "没有名为“不存在的学区”的学区管理中心"),
        ({"地址": "路" * 201}, "地址", "不能超过200个字"),
        ({"学校名称": "（示例）某某小学"}, "学校名称", "示例行"),
    ],
)
def test_each_rule_names_its_column(demo, overrides, column, message_part):
    job = run_import(demo["pinganban"], xlsx([school_row("蒲吕规则小学", **overrides)]))

    assert job.state == Job.State.FAILED
    [(row, col, message)] = errors_of(job)
    assert (row, col) == (2, column)
    assert message_part in message


def test_duplicate_names_within_the_file_are_reported(demo):
    rows = [
        school_row("蒲吕重名小学"),
        school_row("蒲吕重名小学", 所在区划代码=SHILONG),  # another village: allowed
        school_row("蒲吕重名小学"),
    ]
    job = run_import(demo["pinganban"], xlsx(rows))

    assert errors_of(job) == [(4, "学校名称", "与第2行重名（同一区划内学校名称不能重复）")]
    assert not School.objects.filter(name="蒲吕重名小学").exists()


def test_a_name_already_registered_in_the_same_region_is_reported(demo):
    job = run_import(demo["pinganban"], xlsx([school_row("蒲吕明德小学")]))

    assert errors_of(job) == [(2, "学校名称", "“蒲吕社区”已有名为“蒲吕明德小学”的学校")]
    assert School.objects.filter(name="蒲吕明德小学").count() == 1


def test_duplicate_school_codes_are_reported(demo):
    rows = [
        school_row("蒲吕码一小学", 学校标识码="5001519999"),
        school_row("蒲吕码二小学", 学校标识码=5001519999),
        school_row("蒲吕码三小学", 学校标识码="5001510101"),  # 蒲吕青松中学's code
    ]
    job = run_import(demo["pinganban"], xlsx(rows))

    assert errors_of(job) == [
        (3, "学校标识码", "与第2行的学校标识码重复"),
        (4, "学校标识码", "学校标识码“5001510101”已被名录中的其他学校使用"),
    ]


def test_an_empty_file_is_refused(demo):
    out = io.BytesIO()
    Workbook().save(out)
    job = run_import(demo["pinganban"], out.getvalue())

    assert job.state == Job.State.FAILED
    assert "文件是空的" in job.result["message"]


def test_a_header_without_data_rows_is_refused(demo):
    job = run_import(demo["pinganban"], xlsx([]))

    assert job.state == Job.State.FAILED
    assert job.result["message"] == "表头下面没有数据行，没有可导入的学校。"


def test_wrong_columns_are_listed_in_one_error_and_nothing_is_imported(demo):
    headers = [h for h in HEADERS if h not in ("学校类型", "教职工数")] + ["备注"]
    job = run_import(demo["pinganban"], xlsx([school_row("蒲吕列错小学", 备注="x")], headers=headers))

    assert job.state == Job.State.FAILED
    message = job.result["message"]
    assert "缺少必填列：“学校类型”、“教职工数”" in message
    assert "无法识别的列：“备注”（Q1）" in message
    assert not School.objects.filter(name="蒲吕列错小学").exists()


def test_a_sheet_without_recognisable_headers_is_refused(demo):
    wb = Workbook()
    wb.active.append(["名称", "类型"])
    wb.active.append(["某小学", "小学"])
    out = io.BytesIO()
    wb.save(out)
    job = run_import(demo["pinganban"], out.getvalue())

    assert "找不到表头" in job.result["message"]


def test_formula_cells_are_refused_naming_the_column(demo):
    job = run_import(demo["pinganban"], xlsx([school_row("蒲吕公式小学", 在校学生数="=100+200")]))

    assert job.state == Job.State.FAILED
    [(row, column, message)] = errors_of(job)
    assert (row, column) == (2, "在校学生数") and "公式" in message


def test_array_formulas_are_refused_too(demo):
    wb = load_workbook(io.BytesIO(xlsx([school_row("蒲吕数组公式小学")])))
    wb.active["F2"] = ArrayFormula("F2", "=SUM(1,2)")
    out = io.BytesIO()
    wb.save(out)

    job = run_import(demo["pinganban"], out.getvalue())

    assert [e[:2] for e in errors_of(job)] == [(2, "在校学生数")]


def test_a_huge_cell_is_quoted_back_only_in_part(demo):
    job = run_import(demo["pinganban"], xlsx([school_row("蒲吕长值小学", 学校类型="很" * 5000)]))

    [(_, _, message)] = errors_of(job)
    assert len(message) < 120 and message.endswith("很…”")


def test_a_region_outside_the_users_scope_is_refused(demo):
    job = run_import(demo["pinganban"], xlsx([school_row("滨河新小学", 所在区划代码=BACHUAN_VILLAGE)]))
    assert errors_of(job) == [(2, "所在区划代码", f"区划代码“{BACHUAN_VILLAGE}”不在您可以导入的范围内")]

    job = run_import(demo["bachuan"], xlsx([school_row("蒲吕越界小学", 责任派出所=None, 学区管理中心=None)]))
    assert errors_of(job) == [(2, "所在区划代码", f"区划代码“{PULV_VILLAGE}”不在您可以导入的范围内")]
    assert not School.objects.filter(name__in=["滨河新小学", "蒲吕越界小学"]).exists()


def test_a_user_without_the_import_right_cannot_run_the_service(demo):
    job = run_import(demo["minjing"], xlsx([school_row("蒲吕民警小学")]))

    assert job.state == Job.State.FAILED
    assert job.result["message"] == "您的角色不能导入学校名录。"


def test_one_bad_row_means_nothing_is_created(demo):
    rows = [school_row(f"蒲吕全或无{i}小学") for i in range(5)]
    rows[3]["是否寄宿制"] = "不知道"
    before = School.objects.count()
    job = run_import(demo["pinganban"], xlsx(rows))

    assert job.state == Job.State.FAILED
    assert errors_of(job) == [(5, "是否寄宿制", "须填“是”或“否”，当前为“不知道”")]
    assert "未导入任何数据" in job.result["message"]
    assert School.objects.count() == before
    assert not import_events().exists()


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(demo):
    rows = [school_row(f"蒲吕跳过{i}小学") for i in range(5)]
    rows[1]["在校学生数"] = "很多"
    rows[4]["所在区划代码"] = BACHUAN_VILLAGE
    job = run_import(demo["pinganban"], xlsx(rows), skip_invalid=True)

    assert job.state == Job.State.SUCCEEDED
    assert job.result["created"] == 3 and job.result["invalid_rows"] == 2
    assert [e[:2] for e in errors_of(job)] == [(3, "在校学生数"), (6, "所在区划代码")]
    assert set(School.objects.filter(name__startswith="蒲吕跳过").values_list("name", flat=True)) == {
        "蒲吕跳过0小学",
        "蒲吕跳过2小学",
        "蒲吕跳过3小学",
    }
    event = import_events().get()
    assert event.after["created"] == 3 and event.after["skipped_rows"] == 2


def test_skip_invalid_with_no_valid_row_creates_nothing(demo):
    job = run_import(demo["pinganban"], xlsx([school_row("蒲吕无效小学", 学校类型="?")]), skip_invalid=True)

    assert job.state == Job.State.FAILED
    assert "没有可导入的学校" in job.result["message"]
    assert not import_events().exists()


def test_an_exported_register_imports_back_after_renaming(demo):
    pulv = School.objects.filter(region__path__startswith="500000/500151/500151104/")
    exported = io.BytesIO()
    count = write_register(pulv, exported, unit="蒲吕街道平安办", today=dt.date(2026, 3, 2))
    exported.seek(0)
    wb = load_workbook(exported)
    ws = wb.active
    assert ws.cell(row=3, column=1).value == "学校名称"  # title and unit rows above the headers
    for row in ws.iter_rows(min_row=4):
        row[0].value = f"{row[0].value}（新址）"
        row[1].value = None  # 学校标识码 must stay unique
    out = io.BytesIO()
    wb.save(out)

    job = run_import(demo["pinganban"], out.getvalue())

    assert job.state == Job.State.SUCCEEDED, job.result
    assert job.result["created"] == count == 12
    copy = School.objects.get(name="蒲吕青松中学（新址）")
    original = School.objects.get(name="蒲吕青松中学")
    for field in (
        "school_type",
        "is_boarding",
        "students",
        "boarders",
        "latitude",
        "region_id",
        "police_station_id",
    ):
        assert getattr(copy, field) == getattr(original, field), field


def test_an_exported_register_without_renaming_reports_every_duplicate(demo):
    exported = io.BytesIO()
    write_register(School.objects.filter(name="蒲吕明德小学"), exported, unit="x", today=dt.date(2026, 3, 2))

    job = run_import(demo["pinganban"], exported.getvalue())

    assert {e[1] for e in errors_of(job)} == {"学校名称", "学校标识码"}


def test_too_many_rows_are_refused(demo, settings):
    settings.HUXIAO_IMPORT_MAX_ROWS = 3
    job = run_import(demo["pinganban"], xlsx([school_row(f"蒲吕超限{i}小学") for i in range(4)]))

    assert job.state == Job.State.FAILED
    assert "数据超过 3 行的上限" in job.result["message"]
    assert not School.objects.filter(name__startswith="蒲吕超限").exists()


def test_blank_rows_are_skipped_and_row_numbers_match_excel(demo):
    content = xlsx(
        [school_row("蒲吕空行一小学"), {}, school_row("蒲吕空行二小学", 教职工数="x")],
        above=(["学校名录"], ["填报单位：蒲吕街道平安办"]),
    )
    job = run_import(demo["pinganban"], content)

    assert errors_of(job) == [(6, "教职工数", "须为不小于0的整数，当前为“x”")]


def test_ten_thousand_rows_import_in_one_go(demo):
    rows = [
        school_row(
            f"蒲吕批量{i:05d}学校", 学校标识码=f"59{i:08d}", 所在区划代码=(PULV_VILLAGE, SHILONG)[i % 2]
        )
        for i in range(10_000)
    ]
    content = xlsx(rows)
    started = time.perf_counter()
    job = run_import(demo["pinganban"], content)
    elapsed = time.perf_counter() - started
    print(f"\n10,000-row import: {elapsed:.1f} s ({len(content) / 1024:.0f} KB file)")

    assert job.state == Job.State.SUCCEEDED, job.result
    assert job.result["created"] == 10_000 and job.done == job.total == 10_000
    assert School.objects.filter(name__startswith="蒲吕批量").count() == 10_000
    assert len(import_events().get().after["school_ids"]) == 10_000
    assert elapsed < 60


def test_the_declared_size_feeds_the_progress_bar_only_when_present():
    with open_sheet(io.BytesIO(xlsx([school_row("a"), school_row("b")])), max_rows=100) as sheet:
        assert sheet.declared_rows == 2
    streamed = io.BytesIO()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADERS)
    ws.append([school_row("a").get(h) for h in HEADERS])
    wb.save(streamed)
    with open_sheet(streamed, max_rows=100) as sheet:
        assert sheet.declared_rows == 0  # unknown: the bar is indeterminate
        assert [r.cells["学校名称"] for r in sheet.rows()] == ["a"]


@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12), st.booleans()))
def test_count_cells_either_parse_to_a_whole_number_or_give_a_message(value):
    try:
        number = as_count(value)
    except CellError as exc:
        assert str(exc)
    else:
        assert number is None or (isinstance(number, int) and 0 <= number <= 1_000_000)


# --- background running -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_a_background_thread_after_commit(settings, tmp_path):
    settings.HUXIAO_JOBS_INLINE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    user = User.objects.get(username="pinganban")
    upload = SimpleUploadedFile("a.xlsx", xlsx([school_row("蒲吕线程小学")]))
    job = jobs.job_create(acting_user=user, kind=services.IMPORT_JOB_KIND, params={}, upload=upload)

    jobs.start_job(job, services.school_import_run)  # autocommit here: the thread starts at once
    for thread in threading.enumerate():
        if thread.name == f"huxiao-job-{job.pk}":
            thread.join(timeout=30)

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.result
    assert School.objects.filter(name="蒲吕线程小学").exists()


def test_run_jobs_runs_a_pending_job_once(demo):
    upload = SimpleUploadedFile("a.xlsx", xlsx([school_row("蒲吕队列小学")]))
    job = jobs.job_create(
        acting_user=demo["pinganban"],
        kind=services.IMPORT_JOB_KIND,
        params={"runner": "huxiao.schools.services.school_import_run"},
        upload=upload,
    )
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    call_command("run_jobs", stdout=out)

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert School.objects.filter(name="蒲吕队列小学").count() == 1
    assert "已运行 1 个任务" in out.getvalue() and "已运行 0 个任务" in out.getvalue()


def test_an_unexpected_error_fails_the_job_with_a_message(demo):
    job = jobs.job_create(acting_user=demo["pinganban"], kind="broken", params={})
    jobs.start_job(job, _broken)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert f"任务编号 #{job.pk}" in job.result["message"]


def _broken(job):
    raise RuntimeError("boom")


# --- the pages --------------------------------------------------------------------------------


def post_file(client, content: bytes, *, name: str = "名录.xlsx", skip: bool = False):
    data: dict = {"file": SimpleUploadedFile(name, content)}
    if skip:
        data["skip_invalid"] = "on"
    return client.post(UPLOAD, data)


def test_upload_page_imports_and_redirects_to_the_status_page(demo, client):
    client.force_login(demo["pinganban"])
    assert client.get(UPLOAD).status_code == 200

    response = post_file(client, xlsx([school_row("蒲吕页面小学")]))

    job = Job.objects.get(kind=services.IMPORT_JOB_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:school-import-status", args=[job.pk])
    page = client.get(response["Location"])
    assert "已导入 1 所学校" in page.content.decode()
    assert School.objects.filter(name="蒲吕页面小学").exists()
    assert import_events().get().actor == demo["pinganban"]
    assert "名录.xlsx" in client.get(UPLOAD).content.decode()  # listed under 最近的导入


def test_status_page_shows_the_row_errors(demo, client):
    client.force_login(demo["pinganban"])
    response = post_file(client, xlsx([school_row("蒲吕错误页小学", 在校学生数="abc")]))

    html = client.get(response["Location"]).content.decode()
    assert "第 2 行" in html and "在校学生数" in html and "须为不小于0的整数" in html
    assert "hx-get" not in html  # finished: no more polling


def test_the_skip_invalid_checkbox_reaches_the_job(demo, client):
    client.force_login(demo["pinganban"])
    rows = [school_row("蒲吕勾选一小学"), school_row("蒲吕勾选二小学", 学校类型="大学")]

    response = post_file(client, xlsx(rows), skip=True)

    html = client.get(response["Location"]).content.decode()
    assert "已导入 1 所学校" in html and "跳过 1 行有误的数据" in html and "被跳过的行" in html
    assert School.objects.filter(name="蒲吕勾选一小学").exists()
    assert not School.objects.filter(name="蒲吕勾选二小学").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"name,type\nx,y\n", "名录.xlsx", "文件内容不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "名录.xlsx", "旧版 .xls 格式或设置了打开密码"),
        (b"PK\x03\x04 not really a zip", "名录.xlsx", "文件已损坏"),
        (b"whatever", "名录.xls", "不支持旧版 .xls 文件"),
        (b"whatever", "名录.csv", "只能上传 Excel 工作簿"),
    ],
)
def test_a_file_that_is_not_an_xlsx_gets_a_clear_error(demo, client, content, name, message):
    client.force_login(demo["pinganban"])
    response = post_file(client, content, name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(demo, client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    client.force_login(demo["pinganban"])

    response = post_file(client, out.getvalue())

    assert "不是 Excel 工作簿" in response.content.decode()
    assert not Job.objects.exists()


def test_a_file_over_the_size_limit_is_refused(demo, client, settings):
    settings.HUXIAO_IMPORT_MAX_BYTES = 1000
    client.force_login(demo["pinganban"])

    response = post_file(client, xlsx([school_row("蒲吕大文件小学")]))

    assert "文件过大" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("url", [UPLOAD, TEMPLATE, reverse("schools:school-import-status", args=[1])])
def test_anonymous_users_are_sent_to_login(db, client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [UPLOAD, TEMPLATE])
def test_police_may_not_import(demo, client, url):
    client.force_login(demo["minjing"])

    assert client.get(url).status_code == 403
    assert (
        client.post(UPLOAD, {"file": SimpleUploadedFile("a.xlsx", xlsx([school_row("x")]))}).status_code
        == 403
    )
    assert not Job.objects.exists()


def test_another_users_job_is_not_found(demo, client):
    job = run_import(demo["pinganban"], xlsx([school_row("蒲吕他人小学")]))
    url = reverse("schools:school-import-status", args=[job.pk])

    client.force_login(demo["bachuan"])
    assert client.get(url).status_code == 404
    client.force_login(demo["xuequ"])
    assert client.get(url).status_code == 404


def test_the_progress_partial_polls_while_running_and_stops_when_finished(demo, client):
    job = Job.objects.create(
        kind=services.IMPORT_JOB_KIND,
        created_by=demo["pinganban"],
        state=Job.State.RUNNING,
        total=400,
        done=100,
    )
    url = reverse("schools:school-import-status", args=[job.pk])
    client.force_login(demo["pinganban"])

    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 1s"' in partial
    assert '<progress max="400" value="100"' in partial and "25%" in partial

    Job.objects.filter(pk=job.pk).update(total=0, done=1500)  # the file did not declare its size
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert '<progress aria-label="导入进度"></progress> 已检查 1500 行' in partial

    Job.objects.filter(pk=job.pk).update(
        state=Job.State.SUCCEEDED, done=400, result={"created": 400, "rows": 400}
    )
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in partial and "已导入 400 所学校" in partial


def test_the_template_downloads_and_imports_once_the_example_is_replaced(demo, client):
    client.force_login(demo["pinganban"])
    response = client.get(TEMPLATE)

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content))["学校名录"]
    assert [c.value for c in ws[1]] == HEADERS
    example = [c.value for c in ws[2]]
    assert example[HEADERS.index("所在区划代码")].startswith("500151104")

    job = run_import(demo["pinganban"], content)
    assert [e[:2] for e in errors_of(job)] == [(2, "学校名称")]  # the example row is refused

    ws.cell(row=2, column=1, value="蒲吕模板小学")
    out = io.BytesIO()
    ws.parent.save(out)
    job = run_import(demo["pinganban"], out.getvalue())
    assert job.state == Job.State.SUCCEEDED, job.result
    assert School.objects.filter(name="蒲吕模板小学").exists()


def test_the_list_page_links_to_import_only_for_importers(demo, client):
    client.force_login(demo["pinganban"])
    assert UPLOAD in client.get(reverse("schools:school-list")).content.decode()
    client.force_login(demo["minjing"])
    assert UPLOAD not in client.get(reverse("schools:school-list")).content.decode()
