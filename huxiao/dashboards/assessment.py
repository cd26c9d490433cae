"""等保自评 (GB/T 22239-2019 level 3, 安全计算环境 8.1.4): for each control the platform can
evidence, what the running system shows now — read from its settings and its database at the
moment the page is opened, never typed — and what remains the deployer's duty. For the 安全审计员
and the 安全管理员 of 三员分立, and for the 测评 file (the page prints on A4).

It lives in the top layer because its evidence comes from every layer (accounts, the audit chain,
the sensitive registers' keys)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from huxiao.accounts.models import Membership, User
from huxiao.accounts.roles import ROLES, SEPARATED_ROLES, RoleCode
from huxiao.accounts.scope import scope_of
from huxiao.accounts.security import policy, twofactor_coverage
from huxiao.core import audit, crypto, jobs
from huxiao.core.models import AuditEvent

MEETS, PARTLY, FAILS, DEPLOYER = "符合", "部分符合", "不符合", "由部署方落实"


@dataclass(frozen=True)
class Control:
    clause: str  # GB/T 22239-2019 clause
    name: str
    evidence: list[str]
    status: str
    deployer: str = ""


def may_read(user) -> bool:
    return bool(scope_of(user).roles & {RoleCode.AUDITOR, RoleCode.SECADMIN})


def _identification() -> Control:
    rows = dict(policy())
    coverage = [c for c in twofactor_coverage() if c.required]
    enrolled = sum(1 for c in coverage if c.enrolled)
    evidence = [
        f"口令复杂度：{rows['口令复杂度']}",
        f"登录失败处理：{rows['登录失败处理']}",
        f"会话超时：{rows['会话超时']}",
        f"双因素认证：{rows['双因素认证']}；须启用的账号 {len(coverage)} 个，已启用 {enrolled} 个",
    ]
    status = MEETS if enrolled == len(coverage) else PARTLY
    if not settings.HUXIAO_2FA_ENFORCED:
        status = FAILS
    return Control(
        "8.1.4.1",
        "身份鉴别",
        evidence,
        status,
        "远程管理须经 HTTPS（见传输加密）；账号发放时核实身份。",
    )


def _access_control() -> Control:
    active = Membership.objects.filter(is_active=True, user__is_active=True)
    per_role = dict(
        active.filter(role__in=SEPARATED_ROLES).values_list("role").annotate(n=Count("user", distinct=True))
    )
    doubled = (
        active.filter(role__in=SEPARATED_ROLES)
        .values("user")
        .annotate(n=Count("role", distinct=True))
        .filter(n__gt=1)
        .count()
    )
    demo = User.objects.filter(is_demo=True, is_active=True).count()
    evidence = [
        "按角色授予最小权限，数据范围由所在单位管辖区划决定（范围外记录一律不可见）",
        "三员分立："
        + "、".join(f"{ROLES[code].label} {per_role.get(code, 0)} 人" for code in sorted(SEPARATED_ROLES))
        + f"；兼任两种管理员角色的账号 {doubled} 个；三种管理员均不能查看业务数据",
        f"启用中的演示账号 {demo} 个" + ("（公开口令，生产环境必须为0）" if demo else ""),
    ]
    status = MEETS if not doubled and not demo and all(per_role.get(c) for c in SEPARATED_ROLES) else PARTLY
    return Control("8.1.4.2", "访问控制", evidence, status, "为三种管理员角色分别指定不同的人。")


def _security_audit() -> Control:
    stats = AuditEvent.objects.aggregate(n=Count("pk"), first=Min("at"))
    anchors, _unreadable = audit.read_anchors()
    keys = list(audit.audit_keys()) if (audit.configured() or settings.DEBUG) else []
    days = (timezone.now() - stats["first"]).days if stats["first"] else 0
    evidence = [
        f"审计记录 {stats['n']} 条，最早一条 {timezone.localtime(stats['first']):%Y年%m月%d日}，已保存 {days} 天（平台从不删除）"
        if stats["first"]
        else "尚无审计记录",
        f"审计记录逐条以密钥签名并链接（密钥编号：{'、'.join(keys) or '未配置'}），改动、删除、截断均可发现",
        f"链外锚点 {len(anchors)} 个，最近一次核验通过并写入锚点：{anchors[-1].at}（第 {anchors[-1].seq} 条）"
        if anchors
        else "尚无链外锚点（每日任务 manage.py daily 核验通过后写入）",
    ]
    status = MEETS if keys and anchors else PARTLY
    return Control(
        "8.1.4.3",
        "安全审计",
        evidence,
        status,
        "锚点文件存放在数据库账号无法写入的位置并随系统日志异地保存；审计记录与锚点保存不少于6个月。",
    )


def _intrusion_prevention() -> Control:
    return Control(
        "8.1.4.4",
        "入侵防范",
        [
            "所有表单输入统一校验：拒绝控制字符和文字方向控制符，日期限定在2000—2100年，编号须为有效整数",
            "上传照片按内容核验；页面内容安全策略（CSP）禁止外部脚本；跨站请求伪造防护",
            f"登录失败处理：{dict(policy())['登录失败处理']}",
        ],
        MEETS,
        "服务器仅开放必要端口；及时安装操作系统和数据库安全补丁。",
    )


def _integrity_and_confidentiality() -> list[Control]:
    https = getattr(settings, "SESSION_COOKIE_SECURE", False)
    people_keys = len(settings.HUXIAO_PEOPLE_KEYS) if crypto.configured() else 0
    return [
        Control(
            "8.1.4.7",
            "数据完整性",
            [
                "审计记录以密钥签名的哈希链保护；月度统计表报送时保存内容摘要，报送后的改动可发现",
                "传输：" + ("HTTPS 已启用" if https else "未启用 HTTPS（HUXIAO_HTTPS）"),
            ],
            MEETS if https else PARTLY,
            "在反向代理上配置 TLS 证书。",
        ),
        Control(
            "8.1.4.8",
            "数据保密性",
            [
                f"重点人员、矛盾纠纷的个人信息加密存储（加密密钥 {people_keys} 个"
                + ("" if people_keys else "，未配置：使用开发密钥或不可用")
                + "），按姓名、身份证号检索使用带密钥的索引，不解密全表",
                "口令以 Argon2 加盐散列保存",
                "会话与登录：" + ("仅经 HTTPS 传送，启用 HSTS" if https else "未启用 HTTPS"),
            ],
            MEETS if people_keys and https else PARTLY,
            "加密密钥和审计密钥保存在数据库及其备份之外。",
        ),
    ]


def _backup() -> Control:
    return Control(
        "8.1.4.9",
        "数据备份恢复",
        ["平台不自行备份；运维文档给出 SQLite 和 PostgreSQL 的备份、恢复方法"],
        DEPLOYER,
        "每日备份数据库（异地保存），定期做恢复演练；密钥另行备份。",
    )


def _residual() -> Control:
    return Control(
        "8.1.4.10",
        "剩余信息保护",
        [
            f"导出文件 {jobs.OUTPUT_KEEP_DAYS} 天后由每日任务删除",
            f"撤销列管的重点人员，个人信息在 {settings.HUXIAO_PEOPLE_RETENTION_DAYS} 天后抹除",
            "关闭浏览器即结束会话；停用账号或修改口令时其所有会话失效",
        ],
        MEETS,
    )


def _personal_information() -> Control:
    since = timezone.now() - dt.timedelta(days=30)
    reveals = AuditEvent.objects.filter(action="people.reveal", at__gte=since).count()
    return Control(
        "8.1.4.11",
        "个人信息保护",
        [
            "敏感登记仅派出所、公安分局、区委政法委可见；列表中姓名、证件号、电话脱敏显示",
            f"查看完整信息须填写事由并记入审计（近30天 {reveals} 次），审计员可查",
            "仅采集管控所必需的字段；到期抹除",
        ],
        MEETS,
        "制定个人信息处理规则并告知；指定个人信息保护负责人。",
    )


def controls() -> list[Control]:
    return [
        _identification(),
        _access_control(),
        _security_audit(),
        _intrusion_prevention(),
        *_integrity_and_confidentiality(),
        _backup(),
        _residual(),
        _personal_information(),
    ]
