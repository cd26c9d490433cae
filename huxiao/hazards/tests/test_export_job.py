"""A big 隐患台账 export runs as a background job (core.jobs): the small one still downloads at
once; the big one redirects to a page that shows progress and then offers the file — to its
creator only, holding exactly the filtered rows of the creator's scope — and the file is
deleted after seven days."""

import datetime as dt
import io
import threading
import time
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.accounts import services as account_services
from huxiao.accounts.roles import RoleCode
from huxiao.core import jobs
from huxiao.core.models import Job
from huxiao.hazards import exports
from huxiao.hazards.choices import State
from huxiao.hazards.exports import HEADERS
from huxiao.hazards.models import Hazard
from huxiao.hazards.tests.notice_factories import (
    NOW,
    frozen,  # noqa: F401  (fixture)
)
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.concurrency import race, skip_unless_parallel_connections
from huxiao.testsupport.hazards import bachuan_school, make_hazard

pytestmark = pytest.mark.usefixtures("frozen", "media_root")

EXPORT = reverse("hazards:hazard-export")


def status_url(job):
    return reverse("hazards:hazard-export-status", args=[job.pk])


def download_url(job):
    return reverse("hazards:hazard-export-download", args=[job.pk])


def codes_in(data: bytes) -> list[str]:
    """The 编号 column of a downloaded register."""
    values = list(load_workbook(io.BytesIO(data))["隐患台账"].iter_rows(values_only=True))
    assert list(values[2]) == HEADERS
    return [row[0] for row in values[3:]]


@pytest.fixture
def inline_jobs(settings, monkeypatch):
    """Jobs run at once, in the test; anything above two rows is a "big" export."""
    settings.HUXIAO_JOBS_INLINE = True
    monkeypatch.setattr(exports, "INLINE_LIMIT", 2)


@pytest.fixture
def register(cast):
    """Four open and one closed hazard in 蒲吕 (the police see all five), and one in 巴川."""
    pulv = [make_hazard(cast, state=State.OPEN, title=f"青松隐患{i}") for i in range(3)]
    pulv.append(make_hazard(cast, cast.mingde, state=State.OPEN, title="明德小学的隐患"))
    closed = make_hazard(cast, state=State.CLOSED, title="已整改的隐患")
    other = make_hazard(cast, bachuan_school(cast), state=State.OPEN, title="巴川的隐患")
    return {"open": pulv, "closed": closed, "other": other}


@pytest.fixture
def after_the_request(monkeypatch):
    """A lock that job threads wait for before they touch the database; a test holds it while
    its request (which saves the session) runs. Needed only on the SQLite test database in
    memory, shared by the threads, where a second connection writing gets "database table is
    locked" at once instead of waiting, so the job's first UPDATE and the session's save
    collided now and then. On PostgreSQL the lock is not used: they run side by side."""
    gate = threading.Lock()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        run = jobs.run_job

        def run_after_the_request(job_id):
            with gate:
                return run(job_id)

        monkeypatch.setattr(jobs, "run_job", run_after_the_request)
    return gate


def test_a_small_export_still_downloads_at_once(cast, client, register):
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.get(EXPORT)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert len(codes_in(b"".join(response.streaming_content))) == 5
    assert not Job.objects.exists()
    [event] = audit_since(mark)
    assert event.action == "hazard.export" and event.after == {"rows": 5}


def test_a_big_export_becomes_a_job_whose_file_holds_exactly_the_filtered_rows(
    cast, client, register, inline_jobs
):
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.get(EXPORT, {"state": "open", "page": "3", "junk": "x"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == status_url(job)
    assert job.kind == exports.EXPORT_JOB_KIND and job.created_by == cast.police
    assert job.params["query"] == "state=open" and job.params["rows"] == 4
    assert job.state == Job.State.SUCCEEDED and job.done == job.total == job.result["rows"] == 4

    page = client.get(status_url(job)).content.decode()
    assert "已生成：共 4 条隐患" in page and "2026年11月29日 10:00" in page
    assert download_url(job) in page and "文件保留7天" in page
    response = client.get(download_url(job))
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote('隐患台账_20261129.xlsx')}" in response["Content-Disposition"]
    assert sorted(codes_in(b"".join(response.streaming_content))) == sorted(h.code for h in register["open"])

    [event] = audit_since(mark)  # once, when the job wrote the file; downloading adds none
    assert event.action == "hazard.export" and event.actor == cast.police
    assert event.after == {"rows": 4}


def test_a_query_string_cannot_widen_the_scope_of_the_job(cast, client, register, inline_jobs):
    """Naming a school of 巴川 is no filter the police's form accepts: they get their own scope."""
    client.force_login(cast.police)
    client.get(EXPORT, {"school": register["other"].school_id})
    job = Job.objects.get()
    data = b"".join(client.get(download_url(job)).streaming_content)
    assert register["other"].code not in codes_in(data)
    assert sorted(codes_in(data)) == sorted(h.code for h in Hazard.objects.visible_to(cast.police))
    # a job queued by hand with that filter re-applies the creator's scope as well
    crafted = exports.register_export_start(
        acting_user=cast.police, query=f"school={register['other'].school_id}", rows=99
    )
    crafted.refresh_from_db()
    with crafted.output_file.open("rb") as f:
        assert register["other"].code not in codes_in(f.read())


def test_progress_is_reported_while_writing_and_reaches_the_total(cast, register, settings, monkeypatch):
    settings.HUXIAO_JOBS_INLINE = True
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen = []
    real = jobs.job_progress

    def spy(job, *, done, total=None):
        seen.append((done, total))
        real(job, done=done, total=total)

    monkeypatch.setattr(jobs, "job_progress", spy)
    job = exports.register_export_start(acting_user=cast.police, query="", rows=5)

    assert seen == [(0, 5), (2, 5), (4, 5)]  # queued, then every two rows written
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.done == job.total == 5 and job.percent == 100


def test_write_register_calls_progress_every_so_many_rows(cast, register, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    calls = []
    rows = exports.write_register(
        Hazard.objects.all(), io.BytesIO(), unit="x", today=NOW.date(), progress=calls.append
    )
    assert rows == 6 and calls == [2, 4, 6]


def test_the_status_page_polls_while_the_job_waits(cast, client, register, monkeypatch):
    """Without inline jobs the job waits for its thread (after commit, which a test never
    reaches): the page shows the bar and polls; the same filter again does not queue twice."""
    monkeypatch.setattr(exports, "INLINE_LIMIT", 2)
    client.force_login(cast.police)
    first = client.get(EXPORT, {"state": "open"})
    again = client.get(EXPORT, {"state": "open"})
    job = Job.objects.get()
    assert first["Location"] == again["Location"] == status_url(job)
    assert job.state == Job.State.PENDING and job.total == 4

    page = client.get(status_url(job)).content.decode()
    assert '<html lang="zh-hans">' in page and "最近的导出" in page
    assert "等待处理" in page and 'max="4" value="0"' in page
    partial = client.get(status_url(job), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and f'hx-get="{status_url(job)}"' in partial
    assert "已写入 0 / 约 4 条（0%）" in partial
    # nothing to download yet
    response = client.get(download_url(job), follow=True)
    assert response.redirect_chain == [(status_url(job), 302)]
    assert "该导出文件不可下载" in response.content.decode()
    # a job still "pending" after ten minutes may be stuck in a dead process: not reused
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        client.get(EXPORT, {"state": "open"})
    assert Job.objects.count() == 2


def test_only_the_creator_sees_the_job_and_its_file(cast, client, register, inline_jobs):
    client.force_login(cast.police)
    client.get(EXPORT)
    job = Job.objects.get()
    client.logout()
    assert_redirects_to_login(client.get(status_url(job)))
    assert_redirects_to_login(client.get(download_url(job)))
    for member in ("safety_officer", "mingde_lead", "outsider", "sysadmin"):
        client.force_login(getattr(cast, member))
        assert client.get(status_url(job)).status_code == 404, member
        assert client.get(download_url(job)).status_code == 404, member


def test_a_user_without_the_export_role_cannot_start_one(cast, client, register, inline_jobs):
    client.force_login(cast.auditor)
    assert client.get(EXPORT).status_code == 403
    assert not Job.objects.exists()


def test_a_failed_job_shows_a_chinese_message(cast, client, register, settings):
    """The role was withdrawn between queuing and running: the job fails and says why."""
    settings.HUXIAO_JOBS_INLINE = True
    job = jobs.job_create(acting_user=cast.sysadmin, kind=exports.EXPORT_JOB_KIND, params={"query": ""})
    jobs.start_job(job, exports.register_export_run)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and not job.output_file
    client.force_login(cast.sysadmin)
    page = client.get(status_url(job)).content.decode()
    assert "您的角色已没有导出权限，未生成文件。" in page and 'role="alert"' in page


def test_files_older_than_seven_days_are_deleted_by_the_daily_run(cast, client, register, inline_jobs):
    client.force_login(cast.police)
    client.get(EXPORT)
    old = Job.objects.get()
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        client.force_login(cast.police)  # sessions end after 30 idle minutes
        client.get(EXPORT, {"state": "open"})
    recent = Job.objects.exclude(pk=old.pk).get()
    old_name, recent_name = old.output_file.name, recent.output_file.name
    assert default_storage.exists(old_name) and default_storage.exists(recent_name)

    with time_machine.travel(NOW + dt.timedelta(days=7, hours=1), tick=False):
        out = io.StringIO()
        call_command("daily", stdout=out)
        assert "已删除 1 个文件" in out.getvalue()
        client.force_login(cast.police)
        page = client.get(status_url(old)).content.decode()
        response = client.get(download_url(old))
    assert not default_storage.exists(old_name) and default_storage.exists(recent_name)
    old.refresh_from_db()
    assert old.output_file.name == "" and old.state == Job.State.SUCCEEDED and old.result["rows"] == 5
    assert "文件已超过保留期限（7天）并已删除" in page and "已过期删除" in page
    assert response.status_code == 302 and response["Location"] == status_url(old)
    assert jobs.purge_outputs() == 0  # nothing left to delete today


@pytest.mark.django_db(transaction=True)
def test_a_big_export_runs_in_a_thread_and_commits_its_progress_as_it_goes(
    cast, client, settings, monkeypatch, after_the_request
):
    """The real thing: a thread after commit, a server-side cursor on PostgreSQL, and every
    progress update outside any transaction, so the polling page sees it at once."""
    settings.HUXIAO_JOBS_INLINE = False
    monkeypatch.setattr(exports, "INLINE_LIMIT", 2)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    hazards = [make_hazard(cast, state=State.OPEN, title=f"青松隐患{i}") for i in range(5)]
    in_transaction = []
    real = jobs.job_progress

    def spy(job, *, done, total=None):
        in_transaction.append(connection.in_atomic_block)
        real(job, done=done, total=total)

    monkeypatch.setattr(jobs, "job_progress", spy)
    client.force_login(cast.police)
    with after_the_request:
        client.get(EXPORT)
        job = Job.objects.get()
    for thread in threading.enumerate():
        if thread.name == f"huxiao-job-{job.pk}":
            thread.join(timeout=30)

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.result
    assert in_transaction == [False, False, False]  # queued, after 2 rows, after 4 rows
    with job.output_file.open("rb") as f:
        assert sorted(codes_in(f.read())) == sorted(h.code for h in hazards)


# --- Review of the job path: failures, a changed scope, a double click, the thread's connection


def job_files(media) -> list[str]:
    """Every file the jobs left in media storage (jobs/%Y/%m/; hazard photos live elsewhere)."""
    return sorted(str(p.relative_to(media)) for p in (media / "jobs").rglob("*") if p.is_file())


def test_an_error_while_writing_fails_the_job_in_chinese_and_leaves_no_file(
    cast, client, register, inline_jobs, settings, monkeypatch
):
    """The database goes away half-way through the rows: no file, no audit event, and the page
    says so in Chinese; the download link redirects instead of serving half a register."""
    real = exports.write_register

    def breaks_half_way(hazards, out, **kwargs):
        kwargs["progress"] = None
        real(hazards.filter(pk__in=[h.pk for h in register["open"][:2]]), out, **kwargs)
        out.write(b"half a workbook")
        raise RuntimeError("server closed the connection unexpectedly")

    monkeypatch.setattr(exports, "write_register", breaks_half_way)
    client.force_login(cast.police)
    mark = audit_mark()
    client.get(EXPORT)
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and not job.output_file
    assert job.result["message"].startswith("处理过程中发生内部错误，任务未完成")
    assert audit_since(mark) == [] and job_files(settings.MEDIA_ROOT) == []
    page = client.get(status_url(job)).content.decode()
    assert f"任务编号 #{job.pk}" in page and 'role="alert"' in page and download_url(job) not in page
    response = client.get(download_url(job), follow=True)
    assert response.redirect_chain == [(status_url(job), 302)]
    assert "该导出文件不可下载" in response.content.decode()


def test_an_error_when_recording_the_export_removes_the_written_file(
    cast, client, register, inline_jobs, settings, monkeypatch
):
    """The file is written but the audit event cannot be: the job fails, the file is deleted
    (no job points at it) and the audit chain has no event of an export nobody can fetch."""

    def audit_down(user, rows):
        raise RuntimeError("audit chain unavailable")

    monkeypatch.setattr(exports, "_record_export", audit_down)
    client.force_login(cast.police)
    mark = audit_mark()
    client.get(EXPORT)
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.output_file.name == ""
    assert "rows" not in job.result and audit_since(mark) == []
    assert job_files(settings.MEDIA_ROOT) == []


def test_a_file_gone_from_storage_is_a_message_not_a_500(cast, client, register, inline_jobs):
    """The daily purge (or an operator) deleted the file an instant before the row was blanked."""
    client.force_login(cast.police)
    client.get(EXPORT)
    job = Job.objects.get()
    default_storage.delete(job.output_file.name)
    response = client.get(download_url(job), follow=True)
    assert response.redirect_chain == [(status_url(job), 302)]
    assert "该导出文件不可下载" in response.content.decode()


def test_the_file_is_not_served_once_the_creators_scope_has_changed(cast, client, register, inline_jobs):
    """The officer moves from 蒲吕派出所 to 巴川派出所 within the seven days: the file holds
    蒲吕's hazards, which their account may no longer see, so it is not served."""
    client.force_login(cast.police)
    client.get(EXPORT)
    job = Job.objects.get()
    assert client.get(download_url(job)).status_code == 200
    [old] = cast.police.memberships.active()
    account_services.membership_revoke(acting_user=cast.sysadmin, membership=old)
    account_services.membership_grant(
        acting_user=cast.sysadmin, user=cast.police, organisation=cast.bachuan_police, role=RoleCode.POLICE
    )
    assert not Hazard.objects.visible_to(cast.police).filter(pk=register["open"][0].pk).exists()

    client.force_login(cast.police)
    response = client.get(download_url(job), follow=True)
    assert response.redirect_chain == [(status_url(job), 302)]
    page = response.content.decode()
    assert "您的职责范围在生成此文件后已变更" in page and download_url(job) not in page


def test_a_wider_scope_still_gets_the_file(cast, client, register, inline_jobs):
    """A role added at another unit only adds rows they may see: the file is still theirs."""
    client.force_login(cast.police)
    client.get(EXPORT)
    job = Job.objects.get()
    account_services.membership_grant(
        acting_user=cast.sysadmin, user=cast.police, organisation=cast.pulv_office, role=RoleCode.OBSERVER
    )
    client.force_login(cast.police)
    assert client.get(download_url(job)).status_code == 200


def test_a_job_of_another_kind_is_not_an_export(cast, client, register):
    """The user's own school-import job id at the export addresses: 404, not its upload."""
    other = jobs.job_create(acting_user=cast.police, kind="school_import", params={})
    client.force_login(cast.police)
    assert client.get(status_url(other)).status_code == 404
    assert client.get(download_url(other)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_double_click_queues_one_job(cast, settings, monkeypatch):
    """Two requests for the same export at the same moment (a double click on 导出): both see no
    job yet unless the check and the insert are one step per user, so the second waits for the
    first and then finds its job."""
    skip_unless_parallel_connections()
    settings.HUXIAO_JOBS_INLINE = False
    started = []
    monkeypatch.setattr(jobs, "start_job", lambda job, func: started.append(job.pk))
    real_create = jobs.job_create

    def slow_create(**kwargs):
        time.sleep(0.3)  # widen the gap between the check and the insert, as a loaded server does
        return real_create(**kwargs)

    monkeypatch.setattr(jobs, "job_create", slow_create)

    def click():
        return exports.register_export_start(acting_user=cast.police, query="state=open", rows=4).pk

    first, second = race(click, click)
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert first == second and Job.objects.count() == 1 and started == [first]


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_other_connections_while_the_thread_runs_and_it_closes_its_connection(
    cast, client, settings, monkeypatch, after_the_request
):
    """Half-way through, another connection (the polling page) already reads the rows written;
    the export's audit event is written once; afterwards the thread's connection is closed
    (on PostgreSQL: its backend is gone from pg_stat_activity)."""
    settings.HUXIAO_JOBS_INLINE = False
    monkeypatch.setattr(exports, "INLINE_LIMIT", 2)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    for i in range(5):
        make_hazard(cast, state=State.OPEN, title=f"青松隐患{i}")
    halfway, looked = threading.Event(), threading.Event()
    thread_connections, backend = [], []
    real = jobs.job_progress

    def pause_at_two(job, *, done, total=None):
        real(job, done=done, total=total)
        if done == 2:
            thread_connections.append(connections["default"])
            if connection.vendor == "postgresql":
                with connections["default"].cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    backend.append(cursor.fetchone()[0])
            halfway.set()
            assert looked.wait(30)

    monkeypatch.setattr(jobs, "job_progress", pause_at_two)
    client.force_login(cast.police)
    mark = audit_mark()
    with after_the_request:
        client.get(EXPORT)
        job = Job.objects.get()
    assert halfway.wait(30), "the job thread never reached two rows"
    seen = Job.objects.values_list("state", "done", "total").get(pk=job.pk)
    looked.set()
    for thread in threading.enumerate():
        if thread.name == f"huxiao-job-{job.pk}":
            thread.join(timeout=30)
            assert not thread.is_alive()

    assert seen == (Job.State.RUNNING, 2, 5)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.result["rows"] == 5, job.result
    assert [e.action for e in audit_since(mark)] == ["hazard.export"]
    [conn] = thread_connections
    assert conn is not connection
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):  # type: ignore[attr-defined]
        assert conn.connection is None, "the job thread left its database connection open"
    if connection.vendor == "postgresql":
        [pid] = backend
        for _ in range(50):  # the server ends a backend a moment after its client closes
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                left = cursor.fetchone()[0]
            if not left:
                break
            time.sleep(0.1)
        assert not left, f"the job thread's PostgreSQL backend {pid} is still connected"


def test_the_page_stops_polling_a_job_that_seems_stuck(cast, client, register, monkeypatch):
    """Every poll renews the session: a page polling a job whose thread died would keep an
    unattended login alive for ever. After ten minutes it says the job may have stopped, and
    no longer polls."""
    monkeypatch.setattr(exports, "INLINE_LIMIT", 2)
    client.force_login(cast.police)
    client.get(EXPORT)
    job = Job.objects.get()
    assert 'hx-trigger="every 1s"' in client.get(status_url(job)).content.decode()
    with time_machine.travel(NOW + dt.timedelta(minutes=exports.REUSE_MINUTES, seconds=1), tick=False):
        page = client.get(status_url(job)).content.decode()
        partial = client.get(status_url(job), HTTP_HX_REQUEST="true").content.decode()
    for html in (page, partial):
        assert "hx-get" not in html and "hx-trigger" not in html
        assert "导出已超过10分钟仍未完成（排队中，已写入 0 / 约 5 条），可能已中断" in html
        assert "本页不再自动更新" in html


def test_the_page_reloads_once_when_the_job_is_done_so_the_list_agrees_with_the_card(
    cast, client, register, inline_jobs
):
    """The poll only swaps the card; the 最近的导出 list below would still say 生成中 beside the
    card's 下载. A poll that finds the job finished reloads the page instead."""
    client.force_login(cast.police)
    client.get(EXPORT)
    job = Job.objects.get()
    poll = client.get(status_url(job), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and poll["HX-Refresh"] == "true" and poll.content == b""
    page = client.get(status_url(job)).content.decode()
    assert "生成中" not in page and page.count(download_url(job)) == 2  # the button and the list
