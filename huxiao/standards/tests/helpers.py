"""Small builders for the standards tests."""

from __future__ import annotations

from typing import Any

from huxiao.hazards.models import Hazard
from huxiao.schools import services as school_services
from huxiao.schools.models import SecurityProfile

FULL_KIT = ["helmet", "stab_vest", "cut_gloves", "restraint_fork", "rubber_baton", "torch", "radio"]
ALL_AREAS = [
    "gate_outside",
    "gatehouse",
    "activity",
    "teaching",
    "dormitory",
    "canteen",
    "lab_store",
    "classrooms",
]

SYSTEM_HAZARDS = bool(Hazard._meta.get_field("found_by").null)
NEEDS_SYSTEM_HAZARDS = "needs Hazard.found_by nullable (shared change requested from the lead)"


def good_profile(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        fulltime_guards=6,
        licensed_guards=6,
        guard_equipment=FULL_KIT,
        gatehouse_staffed_hours=24,
        night_guards=1,
        closed_management=True,
        perimeter_barrier="wall",
        anti_climb=True,
        gate_anti_ram=["rising_bollard"],
        ped_vehicle_separated=True,
        camera_coverage={a: True for a in ALL_AREAS},
        cctv_retention_days=30,
        cctv_linked_to_police=True,
        one_key_alarm=True,
        alarm_linked_to_police=True,
        intrusion_alarm=True,
        visitor_register=True,
        visitor_id_check=True,
        pickup_handover=True,
        drills_per_semester=2,
    )
    values.update(overrides)
    return values


def file_profile(school, user, **overrides: Any) -> SecurityProfile:
    current = SecurityProfile.objects.current_for(school)
    return school_services.profile_file(
        acting_user=user,
        school=school,
        base_version=current.version if current else None,
        **good_profile(**overrides),
    )
