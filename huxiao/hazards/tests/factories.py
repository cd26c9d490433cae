"""Small builders for the hazard tests: photos as uploads, hazards driven to a state through
the services (never by writing `state` directly), and who acts for which school in the cast."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from huxiao.core.testing import Cast, make_school
from huxiao.hazards import services
from huxiao.hazards.choices import Severity, State
from huxiao.hazards.models import Hazard
from huxiao.schools.models import School

# --- Photos ---------------------------------------------------------------------------------


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color=(200, 60, 40)) -> bytes:
    """A small real image in `fmt` (JPEG, PNG, WEBP, GIF …)."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    return image_bytes("JPEG", size)


def png_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    return image_bytes("PNG", size)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """`data` as the browser would send it (a fresh file object: a read upload is spent)."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def photo(name: str = "after.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    """A valid JPEG upload."""
    return upload(jpeg_bytes(size), name)


@pytest.fixture(name="media_root")
def media_root_fixture(settings, tmp_path):
    """Uploads go to a throw-away folder. Import `media_root_fixture` into a test module and ask
    for `media_root` (or `pytest.mark.usefixtures("media_root")`)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


media_root = media_root_fixture  # the older import name


# --- Who acts -------------------------------------------------------------------------------

# Every member of the fixed cast, by attribute name (see huxiao/core/testing.py).
CAST_MEMBERS = [
    "official",
    "safety_officer",
    "police",
    "centre_officer",
    "qingsong_lead",
    "mingde_lead",
    "observer",
    "sysadmin",
    "auditor",
    "outsider",
]

# Who holds each capability over 青松中学 (the school most tests use).
QINGSONG_REVIEWERS = frozenset({"safety_officer", "police", "centre_officer"})
QINGSONG_RECTIFIERS = frozenset({"qingsong_lead"})


def bachuan_school(cast: Cast) -> School:
    """A school with its own unit in the other subdistrict (巴川), outside 蒲吕's scope. (The cast's
    滨河小学 has no unit of its own, so no hazard can be registered there.)"""
    return make_school(
        "巴川向阳小学", cast.binhe_community, own_unit=True, police_station=cast.bachuan_police
    )


def reviewer_for(cast: Cast, school: School):
    """Someone who may confirm, return and accept at `school`."""
    if school.region_id == cast.binhe_community.pk:
        return cast.outsider
    return cast.police if school.police_station_id == cast.pulv_police.pk else cast.safety_officer


def rectifier_for(cast: Cast, school: School):
    """The school's own safety lead (only 青松 and 明德 have one in the cast)."""
    return {cast.qingsong.pk: cast.qingsong_lead, cast.mingde.pk: cast.mingde_lead}[school.pk]


# --- Hazards --------------------------------------------------------------------------------


def make_hazard(
    cast: Cast,
    school: School | None = None,
    *,
    by=None,
    state: str = State.REPORTED,
    severity: str = Severity.GENERAL,
    **fields: Any,
) -> Hazard:
    """A hazard at `school` (青松 by default) reported by `by` (a reviewer by default), then
    driven through the services to `state` by the people who may do each step."""
    school = school or cast.qingsong
    values: dict[str, Any] = {
        "title": "消防通道堆放杂物",
        "category": "fire",
        "description": "宿舍楼一层消防通道堆放纸箱和旧桌椅。",
        "location": "3号宿舍楼",
    }
    values.update(fields)
    hazard = services.hazard_report(
        acting_user=by or reviewer_for(cast, school), school=school, severity=severity, **values
    )
    return drive(cast, hazard, state)


def drive(cast: Cast, hazard: Hazard, state: str) -> Hazard:
    """Move `hazard` (reported or further along the main path) on to `state`."""
    reviewer = reviewer_for(cast, hazard.school)
    path = {
        State.REPORTED: [],
        State.DISMISSED: ["dismiss"],
        State.OPEN: ["confirm"],
        State.RECTIFYING: ["confirm", "start"],
        State.SUBMITTED: ["confirm", "start", "submit"],
        State.CLOSED: ["confirm", "start", "submit", "accept"],
    }[State(state)]
    done = {
        State.OPEN: ["confirm"],
        State.RECTIFYING: ["confirm", "start"],
        State.SUBMITTED: ["confirm", "start", "submit"],
    }.get(State(hazard.state), [])
    for action in path[len(done) :]:
        if action == "accept" and hazard.is_major:
            make_major_ready(cast, hazard)
        rectifying = services.TRANSITIONS[action].cap == services.Cap.HAZARD_RECTIFY
        hazard = services.hazard_transition(
            acting_user=rectifier_for(cast, hazard.school) if rectifying else reviewer,
            hazard=hazard,
            action=action,
            expected_version=hazard.version,
            reason="经核查不属于安全隐患" if action == "dismiss" else "",
            note="整改完毕" if action == "submit" else "",
            photos=[photo()] if action == "submit" else (),
        )
    return hazard


def make_major_ready(cast: Cast, hazard: Hazard) -> None:
    """What a 重大 hazard needs before acceptance: the 学区's plan and temporary measures."""
    services.plan_record(
        acting_user=cast.centre_officer,
        hazard=hazard,
        summary="分两期加高围墙并加装防攀爬设施",
        tasks=[("加高东侧围墙至2.5米", "学校总务处", dt.date(2026, 6, 30))],
    )
    services.hazard_record_temp_measures(
        acting_user=cast.centre_officer, hazard=hazard, text="设置警戒线，安排专人值守"
    )


def fresh(hazard: Hazard) -> Hazard:
    """The hazard as the database holds it now."""
    return Hazard.objects.get(pk=hazard.pk)


# --- Time -----------------------------------------------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday in term time, an ordinary working day.
FROZEN_AT = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(name="frozen")
def frozen_fixture():
    """Time stands still at FROZEN_AT (move it with `frozen.move_to(...)`). Import
    `frozen_fixture` into a test module and ask for `frozen`."""
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller


frozen = frozen_fixture  # the older import name


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """`day` at `hour` o'clock in Shanghai, for `frozen.move_to`."""
    return dt.datetime.combine(day, dt.time(hour), SHANGHAI)


# --- Threads --------------------------------------------------------------------------------


def race(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run the calls at the same moment, each in its own thread with its own database
    connection (closed afterwards); return each call's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing thread hung"
    return results


def skip_unless_parallel_connections() -> None:
    """Skip a threaded test where parallel connections cannot wait for each other's locks."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "the SQLite test database is in memory, where a second connection gets 'database table "
            "is locked' instead of waiting; runs on PostgreSQL and with HUXIAO_SQLITE_TEST_FILE=true"
        )
