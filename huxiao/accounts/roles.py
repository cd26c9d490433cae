"""Roles as named capability sets (code, not data: a role's meaning is reviewed with the code).

A membership grants its role's capabilities *within its organisation's jurisdiction*.
Capabilities are strings `<area>.<verb>`; later capabilities (hazards, inspections …) add
their own here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from huxiao.core.choices import OrgKind


class Cap:
    SCHOOL_VIEW = "school.view"
    SCHOOL_EDIT = "school.edit"  # registry entry: create, edit, archive
    PROFILE_EDIT = "profile.edit"  # 三防 security profile
    SCHOOL_IMPORT = "school.import"
    SCHOOL_EXPORT = "school.export"
    AUDIT_VIEW = "audit.view"
    ACCOUNT_MANAGE = "account.manage"
    ORG_MANAGE = "org.manage"  # organisations and regions
    SENSITIVE_VIEW = "sensitive.view"  # key persons, disputes, background checks — only in police and 政法 units (people app)
    PEOPLE_MANAGE = "people.manage"  # register and follow key persons and disputes (the responsible 派出所)
    PEOPLE_APPROVE = "people.approve"  # de-list a key person, take the escalations (所领导)
    HAZARD_REPORT = "hazard.report"
    HAZARD_REVIEW = "hazard.review"  # confirm, dismiss, return, accept, reopen
    HAZARD_RECTIFY = "hazard.rectify"  # the school's side: sign notices, rectify, submit, ask for more time
    HAZARD_PLAN = "hazard.plan"  # lead the plan of a 重大 hazard (学区管理中心)
    NOTICE_ISSUE = "notice.issue"
    INSPECTION_PERFORM = "inspection.perform"
    DUTY_LOG = "duty.log"
    REPORT_SUBMIT = "report.submit"
    REPORT_APPROVE = "report.approve"
    CAMPAIGN_MANAGE = "campaign.manage"
    STANDARDS_MANAGE = "standards.manage"  # edit rulesets (new version) and checklist templates
    INSPECTION_PLAN = "inspection.plan"  # plan who inspects which schools when
    DUTY_MANAGE = "duty.manage"  # set up 护学岗 posts, patrol groups; backfill missed duty records
    SURROUNDINGS_MANAGE = "surroundings.manage"  # venues and traffic points around campuses
    STAFF_MANAGE = "staff.manage"  # the school keeps its staff register and background checks (staff app)
    STAFF_DECIDE = "staff.decide"  # the 学区 reads its schools' registers and decides on a 有异常 check
    GATE_LOG = "gate.log"  # the school's gate log: visitors, vehicles, 接送 exceptions (门卫, the school)
    INCIDENT_REPORT = (
        "incident.report"  # record an incident at a school and the people involved (incidents app)
    )
    INCIDENT_RESPOND = "incident.respond"  # sign for a reported incident, log the 三同步 response
    INCIDENT_CLOSE = "incident.close"  # close an incident with its cause analysis and 责任倒查
    EDUCATION_RECORD = "education.record"  # 安全教育 activities (the school), visits (its 法治辅导员)
    COUNSELLOR_APPOINT = "counsellor.appoint"  # the 派出所 appoints its officers 法治辅导员 (education)
    SECURITY_MANAGE = "security.manage"  # login lockout, unlocking, security settings (安全管理员)


class RoleCode(models.TextChoices):
    LEADER = "leader", "领导"
    COORDINATOR = "coordinator", "工作人员（协调）"
    INSPECTOR = "inspector", "检查员"
    POLICE = "police", "民警"
    SAFETY_LEAD = "safety_lead", "学校安全负责人"
    PRINCIPAL = "principal", "校长（园长）"
    OBSERVER = "observer", "只读观察员"
    SYSADMIN = "sysadmin", "系统管理员"
    AUDITOR = "auditor", "安全审计员"
    SECADMIN = "secadmin", "安全管理员"
    GATEKEEPER = "gatekeeper", "门卫（保安员）"


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    duty: str
    caps: frozenset[str]

    @property
    def read_only(self) -> bool:
        """A role that may look but never write business records."""
        return not (self.caps & WRITE_CAPS)


WRITE_CAPS = frozenset(
    {
        Cap.SCHOOL_EDIT,
        Cap.PROFILE_EDIT,
        Cap.SCHOOL_IMPORT,
        Cap.HAZARD_REPORT,
        Cap.HAZARD_REVIEW,
        Cap.HAZARD_RECTIFY,
        Cap.HAZARD_PLAN,
        Cap.NOTICE_ISSUE,
        Cap.INSPECTION_PERFORM,
        Cap.DUTY_LOG,
        Cap.REPORT_SUBMIT,
        Cap.REPORT_APPROVE,
        Cap.CAMPAIGN_MANAGE,
        Cap.STANDARDS_MANAGE,
        Cap.INSPECTION_PLAN,
        Cap.DUTY_MANAGE,
        Cap.SURROUNDINGS_MANAGE,
        Cap.PEOPLE_MANAGE,
        Cap.PEOPLE_APPROVE,
        Cap.STAFF_MANAGE,
        Cap.STAFF_DECIDE,
        Cap.GATE_LOG,
        Cap.INCIDENT_REPORT,
        Cap.INCIDENT_RESPOND,
        Cap.INCIDENT_CLOSE,
        Cap.EDUCATION_RECORD,
        Cap.COUNSELLOR_APPOINT,
    }
)

# Capabilities that read sensitive personal data (criminal records, health, petitions), with the
# kinds of unit where they do (None: any) — their holders there sign in with a second factor. The
# staff register counts its capabilities only in schools and 学区 (staff.querysets).
SENSITIVE_READ: dict[str, frozenset[str] | None] = {
    Cap.SENSITIVE_VIEW: None,
    Cap.STAFF_MANAGE: frozenset({OrgKind.SCHOOL, OrgKind.KINDERGARTEN}),
    Cap.STAFF_DECIDE: frozenset({OrgKind.SCHOOL_DISTRICT}),
    Cap.INCIDENT_REPORT: frozenset({OrgKind.SCHOOL, OrgKind.KINDERGARTEN}),
}
SENSITIVE_READ_CAPS = frozenset(SENSITIVE_READ)

_VIEW = {Cap.SCHOOL_VIEW, Cap.SCHOOL_EXPORT}

ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role(
            RoleCode.LEADER,
            "领导",
            "领导小组组长、副组长、分管领导：掌握全局、审定报表、签发通报",
            frozenset(
                _VIEW
                | {
                    Cap.REPORT_APPROVE,
                    Cap.CAMPAIGN_MANAGE,
                    Cap.AUDIT_VIEW,
                    Cap.SENSITIVE_VIEW,
                    Cap.PEOPLE_APPROVE,
                    Cap.STAFF_DECIDE,
                    Cap.INCIDENT_RESPOND,
                    Cap.COUNSELLOR_APPOINT,
                }
            ),
        ),
        Role(
            RoleCode.COORDINATOR,
            "工作人员（协调）",
            "平安办、学区管理中心工作人员：维护学校名录、组织抽查、汇总月报",
            frozenset(
                _VIEW
                | {
                    Cap.SCHOOL_EDIT,
                    Cap.PROFILE_EDIT,
                    Cap.SCHOOL_IMPORT,
                    Cap.HAZARD_REPORT,
                    Cap.HAZARD_REVIEW,
                    Cap.HAZARD_PLAN,
                    Cap.INSPECTION_PERFORM,
                    Cap.REPORT_SUBMIT,
                    Cap.REPORT_APPROVE,
                    Cap.CAMPAIGN_MANAGE,
                    Cap.STANDARDS_MANAGE,
                    Cap.INSPECTION_PLAN,
                    Cap.DUTY_MANAGE,
                    Cap.SURROUNDINGS_MANAGE,
                    Cap.STAFF_DECIDE,
                    Cap.INCIDENT_REPORT,
                    Cap.INCIDENT_RESPOND,
                    Cap.INCIDENT_CLOSE,
                    Cap.EDUCATION_RECORD,
                }
            ),
        ),
        Role(
            RoleCode.INSPECTOR,
            "检查员",
            "应急、市场监管、卫健、消防、交巡警等职能部门人员：本领域检查与隐患登记",
            frozenset(_VIEW | {Cap.HAZARD_REPORT, Cap.INSPECTION_PERFORM, Cap.SURROUNDINGS_MANAGE}),
        ),
        Role(
            RoleCode.POLICE,
            "民警",
            "派出所民警：核查、下发整改通知书、护学岗、巡逻、重点人员",
            frozenset(
                _VIEW
                | {
                    Cap.HAZARD_REPORT,
                    Cap.HAZARD_REVIEW,
                    Cap.NOTICE_ISSUE,
                    Cap.INSPECTION_PERFORM,
                    Cap.DUTY_LOG,
                    Cap.DUTY_MANAGE,
                    Cap.SURROUNDINGS_MANAGE,
                    Cap.REPORT_SUBMIT,
                    Cap.SENSITIVE_VIEW,
                    Cap.PEOPLE_MANAGE,
                    Cap.INCIDENT_REPORT,
                    Cap.INCIDENT_RESPOND,
                    Cap.INCIDENT_CLOSE,
                    Cap.EDUCATION_RECORD,
                    Cap.COUNSELLOR_APPOINT,
                }
            ),
        ),
        Role(
            RoleCode.SAFETY_LEAD,
            "学校安全负责人",
            "学校分管安全人员：维护本校三防档案、自查、整改、报送月报",
            frozenset(
                _VIEW
                | {
                    Cap.PROFILE_EDIT,
                    Cap.HAZARD_REPORT,
                    Cap.HAZARD_RECTIFY,
                    Cap.INSPECTION_PERFORM,
                    Cap.DUTY_LOG,
                    Cap.REPORT_SUBMIT,
                    Cap.STAFF_MANAGE,
                    Cap.GATE_LOG,
                    Cap.INCIDENT_REPORT,
                    Cap.INCIDENT_RESPOND,
                    Cap.EDUCATION_RECORD,
                }
            ),
        ),
        Role(
            RoleCode.PRINCIPAL,
            "校长（园长）",
            "第一责任人：维护本校信息与三防档案，审定本校报表",
            frozenset(
                _VIEW
                | {
                    Cap.SCHOOL_EDIT,
                    Cap.PROFILE_EDIT,
                    Cap.HAZARD_REPORT,
                    Cap.HAZARD_RECTIFY,
                    Cap.REPORT_SUBMIT,
                    Cap.STAFF_MANAGE,
                    Cap.GATE_LOG,
                    Cap.INCIDENT_REPORT,
                    Cap.INCIDENT_RESPOND,
                    Cap.EDUCATION_RECORD,
                }
            ),
        ),
        Role(
            RoleCode.GATEKEEPER,
            "门卫（保安员）",
            "学校门卫、保安员：登记外来人员、车辆和接送异常（仅本校门卫登记）",
            frozenset({Cap.GATE_LOG}),
        ),
        Role(RoleCode.OBSERVER, "只读观察员", "只能查看本单位管辖范围内的数据", frozenset(_VIEW)),
        Role(
            RoleCode.SYSADMIN,
            "系统管理员",
            "管理账号、区划和单位；不查看业务数据和敏感登记信息（三员分立中的系统管理员）",
            frozenset({Cap.ACCOUNT_MANAGE, Cap.ORG_MANAGE}),
        ),
        Role(
            RoleCode.AUDITOR,
            "安全审计员",
            "查阅审计日志、核验审计链（三员分立中的审计员）",
            frozenset({Cap.AUDIT_VIEW}),
        ),
        Role(
            RoleCode.SECADMIN,
            "安全管理员",
            "管理安全策略：口令、登录锁定、会话；解除账号锁定（三员分立中的安全管理员）",
            frozenset({Cap.SECURITY_MANAGE}),
        ),
    ]
}

# 三员分立 (GB/T 22239-2019 level 3, 8.1.4.2 / 8.1.10.6): the system administrator, the security
# auditor and the security administrator are three people. No account holds two of these roles
# (`accounts.services.membership_grant` refuses), and none of them reads business records.
SEPARATED_ROLES = frozenset({RoleCode.SYSADMIN, RoleCode.AUDITOR, RoleCode.SECADMIN})


def role(code: str) -> Role:
    return ROLES[code]
