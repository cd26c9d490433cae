"""The seed checklists: 校园三防, 消防安全, 食品安全, 校舍安全, 危化品, 水电燃气, 卫生防疫, 周边环境.

Items come from the measures of the 2021 work plan (蒲吕办发〔2021〕50号, quoted as 《方案》 with
its section) and from `research/regulations.md` (GB/T 29315, 公治〔2015〕168号 …). Each item
cites its clause; where only a document (not an article number) could be checked, only the
document is cited — a clause is never invented. Loaded by `seed_checklists` (idempotent: a
template that exists by name is left as it is, so an administrator's edits survive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from huxiao.core import audit
from huxiao.inspections.choices import AnswerType, Domain, HazardMode

PLAN = "《蒲吕街道2021年中小学幼儿园“护校安园”专项工作方案》（蒲吕办发〔2021〕50号）"
GBT2022 = "GB/T 29315-2022《中小学、幼儿园安全防范要求》"
GBT2012 = "GB/T 29315-2012《中小学、幼儿园安全技术防范系统要求》"
REG2015 = "《中小学幼儿园安全防范工作规范（试行）》（公治〔2015〕168号）"
MOE23 = "《中小学幼儿园安全管理办法》（教育部等10部门令第23号）"
FIRE2015 = "教育部、公安部《关于加强中小学幼儿园消防安全管理工作的意见》（2015）"
FIRE_LAW = "《中华人民共和国消防法》"
FOOD_LAW = "《中华人民共和国食品安全法》"
FOOD45 = "《学校食品安全与营养健康管理规定》（教育部、国家市场监督管理总局、国家卫生健康委员会令第45号）"
HAZMAT_REG = "《危险化学品安全管理条例》"
EIGHT = "公安部《维护校园及周边治安秩序八条措施》（2005）"
BJ2018 = "《北京市中小学幼儿园平安校园建设标准（试行）》（2018）"


@dataclass
class I:  # noqa: E742  (short on purpose: one line per item below)
    text: str
    clause: str
    guidance: str = ""
    category: str = ""
    severity: str = "general"
    photo: bool = True  # 不合格须拍照
    hazard: str = HazardMode.AUTO
    type: str = AnswerType.PASS_FAIL
    min: Decimal | None = None
    unit: str = ""
    title: str = ""
    required: bool = True


@dataclass
class T:
    name: str
    domain: str
    category: str  # default hazard category of the items
    description: str
    sections: list[tuple[str, list[I]]] = field(default_factory=list)


SEED: list[T] = [
    T(
        "校园三防",
        Domain.SANFANG,
        "physical",
        "人防、物防、技防与安全制度（方案“落实人防、物防、技防措施”），用于自查、抽查、派出所核查。",
        [
            (
                "人防",
                [
                    I(
                        "按师生员工规模配足专职保安员（100人以内、100至1000人、1000人以上分档配备）",
                        f"{PLAN} 四（一）二；{REG2015}（<100人≥1名，100–1000人≥2名，>1000人每增500人增配1名）",
                        "对照学校人数和保安员花名册、劳动合同清点在岗专职保安员人数。",
                        "personnel",
                        "larger",
                        photo=False,
                        title="专职保安员配备不足",
                    ),
                    I(
                        "保安员经岗前培训、持保安员证上岗，年龄不超过60周岁",
                        f"{PLAN} 四（一）二；{REG2015}",
                        "逐一查看保安员证和身份证。",
                        "personnel",
                        photo=False,
                        title="保安员无证上岗或超龄",
                    ),
                    I(
                        "门卫室（传达室）24小时有人值守",
                        f"{GBT2022}（人力防范）",
                        "查看值班表和交接班记录，夜间抽查。",
                        "personnel",
                        title="门卫室未24小时值守",
                    ),
                    I(
                        "保安员配齐安全叉、橡胶棒、防刺背心、头盔、强光手电、对讲机等防护器械",
                        f"{PLAN} 四（一）二（“配齐安全叉、橡胶棒等必要的安全防护装备器械”）",
                        "在门卫室清点器械，查看是否完好、随手可取。",
                        "personnel",
                        title="保安员防护器械不全",
                    ),
                    I(
                        "上学、放学时段有人员车辆进出的出入口均有门卫或保安员在岗",
                        f"{GBT2022}（上下学时段护卫）",
                        "上下学高峰时段到各出入口查看。",
                        "personnel",
                    ),
                    I(
                        "寄宿制学校增配专职保安员和生活管理教师，夜间至少1名保安员在岗",
                        f"{PLAN} 四（一）二（寄宿制校园24小时值班值守）；{BJ2018}",
                        "非寄宿制学校选“不适用”。查看夜间值班表。",
                        "personnel",
                        required=True,
                    ),
                    I(
                        "校内重点部位和区域每日巡查次数",
                        f"{GBT2022}（每日巡查不少于5次）",
                        "查看近一周巡查记录，填写平均每日次数。",
                        "personnel",
                        photo=False,
                        type=AnswerType.NUMBER,
                        min=Decimal("5"),
                        unit="次",
                        title="校内重点部位每日巡查不足5次",
                    ),
                ],
            ),
            (
                "物防",
                [
                    I(
                        "周界设置围墙或金属栅栏等实体屏障，并有防攀爬措施",
                        f"{PLAN} 四（一）四；{GBT2022} 附录A（周界实体屏障：应）",
                        "沿周界查看有无缺口、可攀爬的依傍搭建物。",
                        "physical",
                        title="周界实体屏障不完整或无防攀爬措施",
                    ),
                    I(
                        "围墙或其他实体屏障最低处高度",
                        f"{PLAN} 四（一）四（“不低于2米的围墙或其他实体屏障”）",
                        "在围墙最低处实测，单位：米。",
                        "physical",
                        type=AnswerType.NUMBER,
                        min=Decimal("2.00"),
                        unit="米",
                        title="围墙高度低于2米",
                    ),
                    I(
                        "校门口设置隔离栏、隔离墩、升降柱等硬质防冲撞设施",
                        f"{PLAN} 四（一）四；{GBT2022} 附录A（主出入口：应）",
                        "查看校门外学生聚集区是否有硬质隔离。",
                        "physical",
                        "larger",
                        title="校门口缺少硬质防冲撞设施",
                    ),
                    I(
                        "实行封闭化管理，非出入时段校门关闭",
                        f"{PLAN} 四（一）四（“实行封闭式管理”）；2020年学校安全工作“三个100%”",
                        "上课时段查看校门是否关闭、是否有人随意进出。",
                        "physical",
                        title="未落实封闭化管理",
                    ),
                ],
            ),
            (
                "技防",
                [
                    I(
                        "门卫室设一键报警装置，并与属地公安机关（110）联网",
                        f"{PLAN} 四（一）三（“快速报警联网”）；{GBT2022} 附录A（一键报警：应）",
                        "现场按下测试键，与派出所或110核对是否收到。",
                        "technical",
                        "larger",
                        title="一键报警未安装或未与公安联网",
                    ),
                    I(
                        "校门外及主出入口视频监控能看清出入人员体貌特征和车辆号牌（含夜间）",
                        f"{GBT2022} 附录A",
                        "在监控室调看校门口白天和夜间画面。",
                        "technical",
                        title="校门口视频监控看不清人脸车牌",
                    ),
                    I(
                        "视频图像保存天数",
                        f"{GBT2012}（保存时间不少于30天）",
                        "在录像设备上查看最早一条录像的日期，算出天数。",
                        "technical",
                        type=AnswerType.NUMBER,
                        min=Decimal("30"),
                        unit="天",
                        title="视频图像保存不足30天",
                    ),
                    I(
                        "校园视频监控系统与公安机关联网",
                        f"{PLAN} 四（一）三；{GBT2012} 4.4（系统应留有联网接口）",
                        "与派出所核对可否调看本校画面。",
                        "technical",
                        title="视频监控未与公安联网",
                    ),
                ],
            ),
            (
                "制度",
                [
                    I(
                        "外来人员、车辆进出登记并核验身份，未经许可不得进入校园",
                        f"{PLAN} 四（一）五；{MOE23}（门卫制度）",
                        "查看登记簿或访客系统，现场试进。",
                        "procedure",
                    ),
                    I(
                        "落实学生、幼儿上下学接送交接制度",
                        f"{PLAN} 四（一）五；{MOE23}",
                        "小学低年级、幼儿园查看交接记录；中学可选“不适用”。",
                        "procedure",
                    ),
                    I(
                        "严防管制刀具、易燃易爆等危险物品带入校园（入校检查）",
                        f"{PLAN} 四（一）五",
                        "查看入校检查措施和记录。",
                        "procedure",
                    ),
                    I(
                        "本学期已开展紧急疏散演练",
                        f"{MOE23}（每学期至少1次紧急疏散演练）",
                        "查看演练方案、照片和记录。",
                        "procedure",
                        photo=False,
                        hazard=HazardMode.ONE_CLICK,
                        title="本学期未开展紧急疏散演练",
                    ),
                ],
            ),
        ],
    ),
    T(
        "消防安全",
        Domain.FIRE,
        "fire",
        "方案“推进落实……消防等安全措施”；消防法与教育部、公安部2015年意见。",
        [
            (
                "消防设施器材",
                [
                    I(
                        "疏散通道、安全出口畅通，未被占用、堵塞、锁闭",
                        f"{FIRE_LAW} 第二十八条",
                        "逐层查看教学楼、宿舍楼疏散通道和安全出口。",
                        severity="larger",
                    ),
                    I("消火栓未被埋压、圈占、遮挡，水枪水带齐全", f"{FIRE_LAW} 第二十八条"),
                    I(
                        "按标准配置灭火器，压力正常、在有效期内",
                        f"{FIRE_LAW} 第十六条（按照国家标准、行业标准配置消防设施、器材）",
                        "抽查灭火器压力表指针和检验标签。",
                    ),
                    I("应急照明和疏散指示标志完好有效", f"{FIRE_LAW} 第十六条"),
                    I(
                        "建筑消防设施每年至少全面检测一次",
                        f"{FIRE_LAW} 第十六条",
                        "查看检测报告。",
                        photo=False,
                        hazard=HazardMode.ONE_CLICK,
                    ),
                ],
            ),
            (
                "防火管理",
                [
                    I(
                        "每日开展防火巡查并记录",
                        f"{FIRE2015}（每日防火巡查）",
                        "查看近一月防火巡查记录。",
                        photo=False,
                    ),
                    I(
                        "学生集中使用场所使用期间至少每2小时巡查一次",
                        f"{FIRE2015}",
                        "查看教学楼、宿舍、食堂巡查记录。",
                        photo=False,
                    ),
                    I(
                        "学生宿舍无违规使用大功率电器、无私拉乱接电线",
                        f"{FIRE2015}",
                        "抽查宿舍。",
                        severity="larger",
                    ),
                    I(
                        "每年至少组织一次全员消防安全培训",
                        f"{FIRE2015}",
                        photo=False,
                        hazard=HazardMode.ONE_CLICK,
                    ),
                    I(
                        "本学期已组织疏散演练",
                        f"{MOE23}（每学期至少1次紧急疏散演练）",
                        photo=False,
                        hazard=HazardMode.ONE_CLICK,
                    ),
                    I(
                        "消防监督检查：寄宿制学校每半年、其他学校每年至少一次",
                        f"{EIGHT} 第八条",
                        "查看消防救援机构检查记录。",
                        photo=False,
                        hazard=HazardMode.ONE_CLICK,
                    ),
                ],
            ),
        ],
    ),
    T(
        "食品安全",
        Domain.FOOD,
        "food",
        "方案“推进落实……食品安全措施”；食品安全法与《学校食品安全与营养健康管理规定》。",
        [
            (
                "资质与人员",
                [
                    I(
                        "食堂取得有效的食品经营许可证并公示",
                        f"{FOOD_LAW} 第三十五条（食品经营许可）",
                        severity="larger",
                    ),
                    I(
                        "从业人员每年健康检查，持有效健康证明上岗",
                        f"{FOOD_LAW} 第四十五条",
                        "逐一核对从业人员健康证明。",
                        photo=False,
                    ),
                    I("学校负责人落实集中用餐陪餐制度并记录", f"{FOOD45}（陪餐制度）", photo=False),
                ],
            ),
            (
                "加工与储存",
                [
                    I(
                        "食品原料进货查验、索证索票，记录完整",
                        f"{FOOD_LAW}（进货查验记录制度）",
                        "抽查近一周的进货台账和票证。",
                        photo=False,
                    ),
                    I(
                        "无超过保质期或腐败变质的食品及原料",
                        f"{FOOD_LAW} 第三十四条",
                        "查看库房和冷藏冷冻设备。",
                        severity="larger",
                    ),
                    I("食品生熟分开存放，离地离墙，冷藏冷冻温度符合要求", f"{FOOD_LAW} 第三十三条"),
                    I("餐具、饮具使用前洗净、消毒，消毒设施正常运行", f"{FOOD_LAW} 第三十三条"),
                    I("防鼠、防蝇、防尘设施齐全有效", f"{FOOD_LAW} 第三十三条"),
                    I(
                        "每餐每样食品留样不少于125克，冷藏保存48小时以上，有留样记录",
                        f"{FOOD45}（食品留样）",
                        "查看留样柜和记录。",
                    ),
                    I(
                        "食堂操作间出入口有视频监控",
                        f"{GBT2022} 附录A（食堂操作间出入口视频：应）",
                        category="technical",
                    ),
                ],
            ),
        ],
    ),
    T(
        "校舍安全",
        Domain.BUILDING,
        "building",
        "方案“推进落实……校舍安全措施”。",
        [
            (
                "建筑与设施",
                [
                    I(
                        "无经鉴定为危房的校舍仍在使用",
                        f"{MOE23}（校舍安全）",
                        "查看校舍安全鉴定报告。",
                        severity="major",
                        title="危房校舍仍在使用",
                    ),
                    I(
                        "楼梯、走廊、阳台栏杆扶手牢固无松动",
                        "GB 50099-2011《中小学校设计规范》（临空处防护栏杆）",
                    ),
                    I(
                        "门窗、玻璃、吊顶、外墙装饰无松动脱落风险",
                        f"{MOE23}（校舍安全）",
                    ),
                    I("教学楼、宿舍楼墙体、梁柱无明显裂缝、渗漏", f"{MOE23}（校舍安全）"),
                    I(
                        "围墙、挡土墙、护坡无倾斜、开裂、垮塌迹象",
                        f"{MOE23}（校舍安全）",
                        severity="larger",
                    ),
                    I(
                        "篮球架、足球门、单双杠等体育设施固定牢靠",
                        f"{MOE23}（校舍安全）",
                    ),
                ],
            ),
            (
                "检查制度",
                [
                    I(
                        "校舍及建筑设施每年至少两次安全检查并记录",
                        "北京市校舍安全长效机制意见（每年至少2次）；本平台基线",
                        "查看校舍安全检查记录。",
                        photo=False,
                        hazard=HazardMode.ONE_CLICK,
                    ),
                    I(
                        "雨季、汛期前对校舍、围墙、排水设施专项排查",
                        f"{MOE23}（校舍安全）",
                        photo=False,
                        hazard=HazardMode.ONE_CLICK,
                    ),
                ],
            ),
        ],
    ),
    T(
        "危化品",
        Domain.HAZMAT,
        "hazmat",
        "实验室和危险化学品（方案“推进落实……危险化学品……安全措施”）。无实验室的学校可不用此表。",
        [
            (
                "储存室防护",
                [
                    I(
                        "危化品储存室设防盗安全门或保险柜",
                        f"{GBT2022} 附录A（易燃易爆/危化品储存室：应）",
                        category="physical",
                    ),
                    I("危化品储存室设入侵探测装置", f"{GBT2022} 附录A", category="technical"),
                    I("危化品储存室和实验室有视频监控", f"{GBT2022} 附录A", category="technical"),
                ],
            ),
            (
                "保管与使用",
                [
                    I(
                        "剧毒、易制毒、易制爆化学品专柜存放，双人收发、双人保管",
                        f"{HAZMAT_REG} 第二十四条",
                        "查看专柜双锁和领用记录。",
                        severity="larger",
                    ),
                    I(
                        "建立出入库核查登记制度，台账账物相符",
                        f"{HAZMAT_REG} 第二十五条",
                        "抽取三种试剂核对台账与实物。",
                        photo=False,
                    ),
                    I("化学品分类分区存放，禁忌物料不混存", f"{HAZMAT_REG} 第二十四条"),
                    I(
                        "易制爆危险化学品按规定登记、流向可查",
                        "《易制爆危险化学品治安管理办法》（公安部令第154号）",
                        photo=False,
                    ),
                    I("实验室配备通风、洗眼器、灭火器等应急设施", f"{FIRE_LAW} 第十六条"),
                    I(
                        "废弃化学品和实验废液集中收存、按规定处置",
                        f"{HAZMAT_REG}",
                        hazard=HazardMode.ONE_CLICK,
                    ),
                ],
            ),
        ],
    ),
    T(
        "水电燃气",
        Domain.UTILITIES,
        "utilities",
        "供电、燃气、供水与特种设备（方案“推进落实……水电燃气……安全措施”），含防溺水。",
        [
            (
                "用电",
                [
                    I("配电房、配电箱上锁并有警示标志", f"{MOE23}（校内设施安全）"),
                    I("电线无私拉乱接、老化裸露，插座面板完好", f"{FIRE2015}", category="fire"),
                    I("漏电保护装置齐全、试跳有效", f"{MOE23}（校内设施安全）"),
                    I(
                        "电工持特种作业操作证上岗",
                        "《特种作业人员安全技术培训考核管理规定》",
                        photo=False,
                    ),
                ],
            ),
            (
                "燃气与特种设备",
                [
                    I(
                        "燃气管道、阀门、软管无泄漏、无老化，使用场所安装可燃气体报警装置",
                        "《城镇燃气管理条例》",
                        severity="larger",
                    ),
                    I("燃气使用场所通风良好，无违规存放液化气瓶", "《城镇燃气管理条例》"),
                    I(
                        "锅炉、压力容器、电梯等特种设备在定期检验有效期内",
                        "《中华人民共和国特种设备安全法》第四十条",
                        "查看检验合格标志和报告。",
                    ),
                ],
            ),
            (
                "供水与防溺水",
                [
                    I("二次供水设施加盖加锁，定期清洗消毒并有水质检测报告", "《生活饮用水卫生监督管理办法》"),
                    I(
                        "校内水池、水井、化粪池、窨井加盖或设防护设施",
                        f"{PLAN} 四（六）（防溺水安全教育）；{MOE23}",
                        severity="larger",
                    ),
                ],
            ),
        ],
    ),
    T(
        "卫生防疫",
        Domain.EPIDEMIC,
        "epidemic",
        "传染病防控与学校卫生（方案“推进落实……卫生防疫……安全措施”）。",
        [
            (
                "传染病防控",
                [
                    I(
                        "落实晨午检制度并记录",
                        "GB 28932-2012《中小学校传染病预防控制工作管理规范》",
                        "查看本周晨午检记录。",
                        photo=False,
                    ),
                    I(
                        "因病缺勤追踪登记，病因追查及时",
                        "GB 28932-2012《中小学校传染病预防控制工作管理规范》",
                        photo=False,
                    ),
                    I(
                        "传染病病愈返校查验复课证明",
                        "GB 28932-2012《中小学校传染病预防控制工作管理规范》",
                        photo=False,
                    ),
                    I(
                        "明确传染病疫情报告人，发现疫情按规定报告",
                        "《中华人民共和国传染病防治法》",
                        photo=False,
                    ),
                    I(
                        "新生入学查验预防接种证，未按规定接种的督促补种",
                        "《中华人民共和国疫苗管理法》第四十八条",
                        photo=False,
                    ),
                ],
            ),
            (
                "环境卫生",
                [
                    I(
                        "教室、宿舍通风良好，公共区域定期消毒并记录",
                        "GB 28932-2012《中小学校传染病预防控制工作管理规范》",
                    ),
                    I("设卫生室或保健室，配备校医或保健教师", "《学校卫生工作条例》", photo=False),
                    I("学生饮水设施清洁，定期清洗消毒", "《学校卫生工作条例》"),
                ],
            ),
        ],
    ),
    T(
        "周边环境",
        Domain.SURROUNDINGS,
        "surroundings",
        "方案四（三）“开展校园周边环境综合治理”、四（四）“加强校园周边巡逻防控”。",
        [
            (
                "交通秩序",
                [
                    I(
                        "校门口道路设安全警示标志、人行和停车设施",
                        f"{GBT2022} 附录A（学校周边：应）；{PLAN} 四（三）二",
                        category="traffic",
                    ),
                    I(
                        "校门口道路设限速标志、减速带、人行横道或信号灯",
                        f"{GBT2022} 附录A（宜）；{PLAN} 四（三）二",
                        category="traffic",
                        hazard=HazardMode.ONE_CLICK,
                    ),
                    I(
                        "校门口无车辆乱停乱放、无占道经营",
                        f"{PLAN} 四（三）二",
                        category="traffic",
                    ),
                    I(
                        "上下学高峰时段护学岗在岗（见警察、见警车、见警灯）",
                        f"{PLAN} 四（四）一（“护学岗”设置率100%）",
                        category="personnel",
                    ),
                ],
            ),
            (
                "周边场所",
                [
                    I(
                        "校园周围200米内无互联网上网服务营业场所",
                        "《互联网上网服务营业场所管理条例》第九条",
                        "步测或地图测距。",
                    ),
                    I(
                        "学校周边无烟、酒、彩票销售网点",
                        "《中华人民共和国未成年人保护法》第五十九条",
                    ),
                    I(
                        "周边出租屋、网吧、游戏厅等重点场所已清查整治",
                        f"{PLAN} 四（三）一",
                        photo=False,
                        hazard=HazardMode.ONE_CLICK,
                    ),
                    I(
                        "校园周边设警务室或治安岗亭",
                        f"{GBT2022} 附录A（宜）",
                        hazard=HazardMode.ONE_CLICK,
                    ),
                ],
            ),
        ],
    ),
]


@transaction.atomic
def seed_checklists(*, acting_user=None) -> int:
    """Create each seed template that does not exist yet (by name) as a published version 1.
    Returns how many templates were created. One audit event per created template."""
    from huxiao.inspections.models import (
        ChecklistItem,
        ChecklistSection,
        ChecklistTemplate,
        ChecklistVersion,
    )

    created = 0
    for spec in SEED:
        if ChecklistTemplate.objects.filter(name=spec.name).exists():
            continue
        template = ChecklistTemplate.objects.create(
            name=spec.name, domain=spec.domain, description=spec.description
        )
        version = ChecklistVersion.objects.create(
            template=template,
            number=1,
            published_at=timezone.now(),
            note="内置检查表",
            created_by=acting_user,
        )
        count = 0
        for s_order, (title, items) in enumerate(spec.sections, start=1):
            section = ChecklistSection.objects.create(version=version, order=s_order, title=title)
            for i_order, item in enumerate(items, start=1):
                ChecklistItem.objects.create(
                    version=version,
                    section=section,
                    order=i_order,
                    text=item.text,
                    guidance=item.guidance,
                    clause=item.clause,
                    answer_type=item.type,
                    min_value=item.min,
                    unit=item.unit,
                    required=item.required,
                    photo_required_on_fail=item.photo,
                    hazard_on_fail=item.hazard,
                    hazard_title=item.title,
                    hazard_category=item.category or spec.category,
                    hazard_severity=item.severity,
                )
                count += 1
        audit.record(
            actor=acting_user,
            action="checklist.seed",
            obj=template,
            after={"template": template.name, "version": 1, "items": count},
        )
        created += 1
    return created
