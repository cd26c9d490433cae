"""`manage.py create_admin`: the first system administrator of a fresh deployment.

Creates (when missing) the top region and the organisation the administrator belongs to,
then the account with the 系统管理员 role. The password is read from the terminal (or
HUXIAO_ADMIN_PASSWORD for scripted installs) and must pass the password rules.
"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from huxiao.accounts import directory, services
from huxiao.accounts.models import User
from huxiao.accounts.roles import RoleCode
from huxiao.core.choices import OrgKind, RegionLevel
from huxiao.core.models import Organisation, Region


class Command(BaseCommand):
    help = "创建首个系统管理员账号（必要时同时创建顶级区划和所属单位）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="系统管理员")
        parser.add_argument("--region-code", required=True, help="顶级区划代码，如 500151")
        parser.add_argument("--region-name", required=True, help="顶级区划名称，如 铜梁区")
        parser.add_argument("--region-level", default=RegionLevel.COUNTY, choices=RegionLevel.values)
        parser.add_argument("--organisation", required=True, help="所属单位名称，如 铜梁区教育委员会")

    @transaction.atomic
    def handle(self, *args, **opts):
        if User.objects.filter(username=opts["username"]).exists():
            raise CommandError(f"用户名“{opts['username']}”已存在。")
        password = os.environ.get("HUXIAO_ADMIN_PASSWORD") or getpass.getpass("密码：")
        region = Region.objects.filter(code=opts["region_code"]).first() or directory.region_create(
            acting_user=None,
            code=opts["region_code"],
            name=opts["region_name"],
            level=opts["region_level"],
            parent=None,
        )
        org = Organisation.objects.filter(name=opts["organisation"]).first() or directory.organisation_create(
            acting_user=None,
            name=opts["organisation"],
            kind=OrgKind.EDUCATION_BUREAU,
            region=region,
            jurisdiction=[region],
        )
        try:
            user = services.account_create(
                acting_user=None, username=opts["username"], full_name=opts["full_name"], password=password
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        user.must_change_password = False  # the operator chose this password just now
        user.save(update_fields=["must_change_password"])
        services.membership_grant(acting_user=None, user=user, organisation=org, role=RoleCode.SYSADMIN)
        self.stdout.write(f"已创建系统管理员“{user.username}”（{org.name}）。")
