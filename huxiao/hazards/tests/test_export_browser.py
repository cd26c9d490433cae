"""Browser test of a big 隐患台账 export (headless Debian chromium), as the demo police officer
(minjing) at a 375 px phone and a 1280 px desk: 导出 on the register page goes to the export's
page, whose bar moves while the background job writes the rows (HTMX polls it), then offers
下载; the file that arrives is named 隐患台账_YYYYMMDD.xlsx, opens with openpyxl and holds exactly
the officer's hazards. `INLINE_LIMIT` is lowered so the demo's register takes the job path.

Screenshots: test-artifacts/screenshots/hazard-export-{register,progress,ready}-<width>.png.
Every page: no console errors, no request to another host, no CSP violation, no sideways
scrolling on the phone; the polling stops once the file is ready.
"""

from __future__ import annotations

import io
import re
import threading
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from openpyxl import load_workbook

from huxiao.accounts.models import User
from huxiao.core import jobs
from huxiao.core.models import Job
from huxiao.hazards import exports
from huxiao.hazards.exports import HEADERS
from huxiao.hazards.models import Hazard
from huxiao.testsupport.browser import PHONE, Watch, login, new_context, no_sideways_scroll, shot

pytestmark = pytest.mark.browser

DESK = 1280
SIZES = (PHONE, DESK)
STEP_SECONDS = 0.6  # the job pauses this long after each progress update, so the bar is seen moving


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from huxiao.demo.loader import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HUXIAO_JOBS_INLINE = False  # the real thing: a thread after commit
    load_demo()


@pytest.fixture
def slow_big_export(monkeypatch):
    """Every register of more than three rows is "big", progress comes every two rows and the
    job pauses after each, so a person (and this test) sees the bar between 0 and 100 %.

    The SQLite test database is in memory, shared by the live server's threads, where a second
    connection writing gets "database table is locked" instead of waiting. There the job thread
    takes turns with the requests (it lets them in while it pauses); PostgreSQL runs them side
    by side as a deployment does. The fixture's value is that turn (a lock of no one's on
    PostgreSQL): the test holds it while it reads the database itself."""
    monkeypatch.setattr(exports, "INLINE_LIMIT", 3)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    real_progress = jobs.job_progress
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):  # type: ignore[attr-defined]

        def pausing(job, *, done, total=None):
            real_progress(job, done=done, total=total)
            if done:
                time.sleep(STEP_SECONDS)

        monkeypatch.setattr(jobs, "job_progress", pausing)
        return threading.Lock()

    turn = threading.Lock()
    serve = WSGIHandler.__call__

    def serial(self, environ, start_response):
        with turn:
            return serve(self, environ, start_response)

    run = jobs.run_job

    def run_in_turn(job_id):  # the job thread's whole life: claim, rows, finish
        with turn:
            return run(job_id)

    def pausing_in_turn(job, *, done, total=None):
        real_progress(job, done=done, total=total)
        if done:  # from the job thread, which holds the turn: let the polls in meanwhile
            turn.release()
            try:
                time.sleep(STEP_SECONDS)
            finally:
                turn.acquire()

    monkeypatch.setattr(WSGIHandler, "__call__", serial)
    monkeypatch.setattr(jobs, "run_job", run_in_turn)
    monkeypatch.setattr(jobs, "job_progress", pausing_in_turn)
    return turn


def _wait_for_job_threads() -> None:
    """The job threads end before the test database is flushed."""
    for thread in threading.enumerate():
        if thread.name.startswith("huxiao-job-"):
            thread.join(timeout=60)
            assert not thread.is_alive(), f"{thread.name} is still running"


def _codes(data: bytes) -> list[str]:
    rows = list(load_workbook(io.BytesIO(data))["隐患台账"].iter_rows(values_only=True))
    assert rows[0][0] == "安全隐患排查整治台账"
    assert str(rows[1][0]).startswith("填报单位：蒲吕派出所")
    assert list(rows[2]) == HEADERS
    return [row[0] for row in rows[3:]]


def test_a_big_export_shows_its_progress_then_downloads_the_officers_hazards(
    browser,
    live_server,
    demo,
    slow_big_export,
    tmp_path,
):
    base = live_server.url
    officer = User.objects.get(username="minjing")
    expected = sorted(h.code for h in Hazard.objects.visible_to(officer))
    assert len(expected) > exports.INLINE_LIMIT + 2 * exports.PROGRESS_EVERY, expected
    assert Hazard.objects.exclude(pk__in=Hazard.objects.visible_to(officer)).exists(), (
        "the demo should hold hazards the officer may not see, or the scope is not tested"
    )
    try:
        for width in SIZES:
            context = new_context(browser, width, timezone_id="Asia/Shanghai", accept_downloads=True)
            page = context.new_page()
            watch = Watch(origin=base)
            watch.attach(page)
            where = f"minjing @ {width}px"
            try:
                login(page, base, "minjing")
                page.goto(f"{base}/hazards/")
                assert page.locator("main h1").inner_text() == "隐患台账"
                shot(page, "hazard", "export-register", width)

                page.get_by_role("link", name="导出 Excel（按当前条件）").click()
                page.wait_for_url(re.compile(r"/hazards/exports/\d+/$"))
                with slow_big_export:  # the job thread may be writing
                    job = Job.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
                assert job.created_by == officer and job.kind == exports.EXPORT_JOB_KIND
                assert page.locator("main h1").inner_text() == "导出隐患台账"
                status = page.url

                # the bar moves: seen part-way, with the count written beside it
                page.wait_for_function(
                    """() => { const p = document.querySelector('#export-progress progress');
                               return p && p.value > 0 && p.value < p.max; }""",
                )
                card = page.locator("#export-progress").inner_text()
                assert re.search(rf"已写入 \d+ / 约 {len(expected)} 条（\d+%）", card), card
                if width == PHONE:
                    no_sideways_scroll(page, f"{where} progress")
                shot(page, "hazard", "export-progress", width)

                download_link = page.get_by_role("link", name=re.compile(r"^下载 隐患台账_\d{8}\.xlsx$"))
                download_link.wait_for()
                card = page.locator("#export-progress").inner_text()
                assert f"已生成：共 {len(expected)} 条隐患" in card, card
                assert page.locator("#export-progress[hx-get]").count() == 0, "still polling when done"
                # the list below the card agrees with it (the page reloaded once when done)
                recent = page.locator("table tbody tr").first.inner_text()
                assert "已完成" in recent and "下载" in recent and "生成中" not in recent, recent
                polls = sum(1 for u in watch.requests if u == status)
                page.wait_for_timeout(2500)
                assert sum(1 for u in watch.requests if u == status) == polls, f"{where}: polls after done"
                if width == PHONE:
                    no_sideways_scroll(page, f"{where} ready")
                shot(page, "hazard", "export-ready", width)

                with page.expect_download() as got:
                    download_link.click()
                download = got.value
                with slow_big_export:
                    job.refresh_from_db()
                assert download.suggested_filename == job.result["filename"]
                assert re.fullmatch(r"隐患台账_\d{8}\.xlsx", download.suggested_filename)
                saved = tmp_path / f"{width}-{download.suggested_filename}"
                download.save_as(saved)
                assert sorted(_codes(saved.read_bytes())) == expected, where

                # the download left the page as it was; Chromium ends a navigation that turns
                # into a download with net::ERR_ABORTED, which is the download, not a failure
                assert page.url == status
                if f"{download.url} (net::ERR_ABORTED)" in watch.failed:
                    watch.failed.remove(f"{download.url} (net::ERR_ABORTED)")
                watch.assert_clean(where)
            finally:
                context.close()
    finally:
        _wait_for_job_threads()
    assert Job.objects.filter(created_by=officer, state=Job.State.SUCCEEDED).count() == len(SIZES)
