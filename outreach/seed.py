"""Demo data of outreach, created through the services: a year of events across the leagues (a
4·26 open day, practice-base visits), registrations with attendance and feedback, articles and
guides, publications of the four channels and the 18 practice bases."""
import datetime
import random

from django.utils import timezone

from ipcenter.accounts.models import Organization, Station
from ipcenter.demo import SMALL, clock, volume

from . import services
from .models import Article, Event, PracticeBase, Publication, Registration

CHAINS = ["稀土新材料", "乳业", "现代煤化工", "光伏", "风电装备", "氢能", "石墨（烯）新材料", "生物医药", "羊绒",
          "肉牛肉羊", "玉米生物发酵", "铝及铝加工", "硅材料", "装备制造", "草种业", "马铃薯", "蒙中医药", "储能"]
LEAGUES = ["baotou", "hohhot", "ordos", "chifeng", "tongliao", "hulunbuir", "ulanqab", "bayannur", "wuhai",
           "alxa", "xilingol", "hinggan"]
TOPICS = ["专利预审服务与快速通道", "高价值专利培育", "专利撰写实务", "知识产权维权援助实务", "商标品牌建设",
          "海外知识产权纠纷应对", "专利导航与产业分析", "知识产权质押融资"]
#: the coming events (title, organising station, type, settings)
UPCOMING = [
    ("专利预审备案主体专场培训", "baotou", Event.Kind.TRAINING, {}),
    ("高价值专利撰写研修班", "centre", Event.Kind.TRAINING, {"audience": "invited", "invite_code": "GJZ2026"}),
    ("知识产权维权援助进园区", "ordos", Event.Kind.LECTURE, {"capacity": 30}),
    ("专利快速预审政策线上宣讲", "centre", Event.Kind.ONLINE, {"online_url": "https://meeting.example.cn/ipc-2026"}),
    ("商标品牌建设沙龙", "chifeng", Event.Kind.SEMINAR, {"requires_approval": True}),
    ("专利导航与产业分析培训", "hohhot", Event.Kind.TRAINING, {}),
    ("海外知识产权纠纷应对讲座", "tongliao", Event.Kind.LECTURE, {}),
    ("知识产权质押融资对接会", "hulunbuir", Event.Kind.SEMINAR, {}),
    ("专利撰写实务培训", "bayannur", Event.Kind.TRAINING, {}),
    ("预审备案主体年度培训", "ulanqab", Event.Kind.TRAINING, {}),
]
NAMES = "张伟 王芳 李娜 刘洋 陈静 杨磊 赵敏 黄勇 周杰 吴霞 徐涛 孙丽 马超 朱婷 胡斌 郭敏 何军 高燕 林峰 罗丹".split()


def _city(station):
    """包头市知识产权保护分中心 → 包头市 (the place, for titles)."""
    return station.name.split("知识产权")[0].removeprefix("内蒙古自治区") or station.name


def _event(staff, rnd, title, kind, station, start, capacity, hours=3, **kw):
    """An event announced (published) three weeks before ``start``, by the service, at that time."""
    announced = min(start - datetime.timedelta(days=21), timezone.now() - datetime.timedelta(hours=1))
    with clock(announced):
        event = services.save_event(Event(title=title, kind=kind, station=station, capacity=capacity, hours=hours,
                                          starts_at=start, ends_at=start + datetime.timedelta(hours=hours),
                                          venue=f"{station.name}培训室", published=True,
                                          description=f"{title}：政策解读、案例讲解与现场答疑。", **kw), staff)
    return event, start


def _fill(event, start, staff, rnd, n, attend_rate=0.85):
    """``n`` people register while registration is open; for an event in the past, staff check
    people in as they arrive, mark the others absent, the feedback requests go out after the
    end and about half of those present answer — each step at its own time."""
    now = timezone.now()
    opened = min(start - datetime.timedelta(days=20), now - datetime.timedelta(hours=1))
    last = min(start - datetime.timedelta(hours=2), now - datetime.timedelta(minutes=5))
    regs = []
    for i in range(n):
        moment = opened + (last - opened) * (i + rnd.random()) / max(n, 1)
        with clock(moment):
            regs.append(services.register(
                event, name=rnd.choice(NAMES), mobile=f"13{rnd.randrange(10**8, 10**9)}", email="",
                organization_name=rnd.choice(["内蒙古蒙乳乳业股份有限公司", "包头稀宝新材料科技有限公司",
                                              "鄂尔多斯煤化新材料有限公司", "内蒙古某大学"])))
    if event.ends_at >= now:
        return regs
    attended = []
    for i, reg in enumerate(regs):
        reg.refresh_from_db()
        if reg.state != Registration.State.CONFIRMED:
            continue
        if rnd.random() < attend_rate:
            with clock(start - datetime.timedelta(minutes=30) + datetime.timedelta(seconds=40 * i)):
                services.check_in(event, reg.code, staff)
            attended.append(reg)
        else:
            with clock(start + datetime.timedelta(hours=1)):
                services.mark_no_show(reg, staff)
    with clock(event.ends_at + datetime.timedelta(hours=1)):
        services.send_feedback_requests(event)
    for reg in attended:
        if rnd.random() < 0.5:
            with clock(event.ends_at + datetime.timedelta(hours=rnd.uniform(2, 48))):
                services.submit_feedback(Registration.objects.get(pk=reg.pk), rnd.choice([4, 5, 5, 3]),
                                         rnd.choice(["", "内容实用", "希望多讲案例", "讲解清楚"]))
    return regs


def _host_firm(league, chain, i):
    """The company hosting a base (reference data of the demo, as ``seed_demo`` makes organisations)."""
    from ipcenter.management.commands.seed_demo import uscc_with_check

    name = f"{_city(league)}{chain}产业有限公司"
    org, _ = Organization.objects.get_or_create(
        uscc=uscc_with_check(f"91150000MA0P{i:05d}"),
        defaults={"name": name, "kind": Organization.Kind.COMPANY, "league": league,
                  "status": Organization.Status.ACTIVE, "contact_name": "联系人", "contact_phone": "0471-6600000"})
    return org


def _journal_pdf(title, day):
    """A journal issue's PDF (its cover page) as an upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipcenter.reports.pdf import render_pdf

    pdf = render_pdf("outreach/journal_cover_pdf.html", {"title": title, "day": day})
    return SimpleUploadedFile(f"{title}.pdf", pdf, content_type="application/pdf")


def seed(ctx):
    if Event.objects.exists():
        return
    rnd = random.Random(14)
    small = volume(ctx) == SMALL
    trainings = 10 if small else 60  # about five a month in the full volume

    def people(low, high):
        return rnd.randrange(3, 9) if small else rnd.randrange(low, high)
    users = ctx["users"]
    staff = users["outreach"]
    applicant = users.get("applicant")
    stations = {s.code: s for s in Station.objects.filter(code__in=LEAGUES + ["centre"])}
    today = timezone.localtime()
    year_ago = today - datetime.timedelta(days=330)

    # trainings across the leagues, about five a month
    for i in range(trainings):
        start = (year_ago + datetime.timedelta(days=i * 330 / trainings)).replace(hour=9, minute=0, second=0, microsecond=0)
        league = stations[LEAGUES[i % len(LEAGUES)]]
        kind = [Event.Kind.TRAINING, Event.Kind.TRAINING, Event.Kind.LECTURE, Event.Kind.SEMINAR,
                Event.Kind.ONLINE][i % 5]
        event, start = _event(staff, rnd, f"{_city(league)}{TOPICS[i % len(TOPICS)]}培训", kind, league, start,
                              capacity=rnd.choice([20, 25, 30] if small else [60, 80, 100, 120]),
                              hours=rnd.choice([2, 3, 3, 6]), requires_approval=(i % 9 == 0))
        if not event.requires_approval:
            # the seed: 10,000+ participants in 120+ trainings over two years, about 80 a session
            _fill(event, start, staff, rnd, people(55, 110))
        else:
            _fill(event, start, staff, rnd, 0)

    # the 4·26 open day
    open_day = today.replace(month=4, day=26, hour=9, minute=0, second=0, microsecond=0)
    if open_day > today:
        open_day = open_day.replace(year=today.year - 1)
    event, start = _event(staff, rnd, "4·26 知识产权宣传周 · 保护中心开放日", Event.Kind.OPEN_DAY, stations["centre"],
                          open_day, capacity=80, hours=4)
    _fill(event, start, staff, rnd, 16 if small else 70, attend_rate=0.9)

    # the coming three months: 10 events across the leagues (weekly, on weekdays), open for
    # registration; the nearer ones already have people registered (one is full, with a waiting
    # list), one needs approval, one is by invitation, one is online
    for i, (title, code, kind, extra) in enumerate(UPCOMING):
        day = today + datetime.timedelta(days=6 + i * 9)
        if day.weekday() >= 5:  # a Saturday or Sunday: the Monday after
            day += datetime.timedelta(days=7 - day.weekday())
        online = kind == Event.Kind.ONLINE
        start = day.replace(hour=14 if online else 9, minute=30 if online else 0, second=0, microsecond=0)
        station = stations[code]
        extra = dict(extra)
        capacity = extra.pop("capacity", 40 if small else rnd.choice([60, 80, 100]))
        event, start = _event(staff, rnd, f"{_city(station)}{title}" if code != "centre" else title, kind, station,
                              start, capacity=capacity, **extra)
        if event.audience == Event.Audience.INVITED:
            continue
        if i == 2:  # full, people waiting
            _fill(event, start, staff, rnd, capacity + (3 if small else 6))
        elif i < 7:  # nearer ones fill up over time; the latest just opened
            _fill(event, start, staff, rnd, people(max(5, capacity // 3 - 10 * i // 2), capacity // 2 + 5))
        if applicant and i == 0:
            services.register(event, user=applicant, source=Registration.Source.ACCOUNT, name=str(applicant),
                              mobile="13900000001", email=applicant.email,
                              organization_name=applicant.organization.name if applicant.organization_id else "")

    # the 18 practice bases, each hosted by a firm of its chain, with firms that file pre-exam cases
    firms = list(Organization.objects.filter(kind=Organization.Kind.COMPANY).order_by("pk"))
    for i, chain in enumerate(CHAINS):
        league = stations[LEAGUES[i % len(LEAGUES)]]
        host = _host_firm(league, chain, i)
        attached = [host] + (rnd.sample(firms, min(len(firms), 1 if small else 2)) if firms else [])
        base = services.save_practice_base(PracticeBase(
            name=f"专利预审员实践基地（{chain}）", industry_chain=chain, host_organization=host.name,
            league=league, opened_on=datetime.date(2024, 4, 26) + datetime.timedelta(days=20 * i)), staff,
            firms=attached)
        for kind, n in (("cases_guided", rnd.randrange(10, 22)), ("suggestions", rnd.randrange(14, 26)),
                        ("prior_art", rnd.randrange(3, 9))):
            services.log_base_activity(base, staff, kind=kind, date=today.date() - datetime.timedelta(days=rnd.randrange(30, 300)),
                                       count=n, note="")
        if i % 3 == 0:
            start = (year_ago + datetime.timedelta(days=20 + i * 17)).replace(hour=14, minute=0, second=0, microsecond=0)
            event, start = _event(staff, rnd, f"走进{base.name}", Event.Kind.BASE_VISIT, league, start, capacity=15, hours=2)
            _fill(event, start, staff, rnd, 4 if small else 12)
            services.log_base_activity(base, staff, kind="visit", date=start.date(), count=1, note=event.title)

    # the public site
    for kind, title in [("news", "自治区知识产权保护中心举办 4·26 开放日活动"), ("news", "专利预审服务覆盖 18 条重点产业链"),
                        ("policy", "《专利优先审查管理办法》解读"), ("policy", "知识产权保护中心备案主体管理办法"),
                        ("guide", "如何办理预审备案"), ("guide", "如何申请维权援助"), ("guide", "12330 热线服务指南")]:
        services.save_article(Article(kind=kind, title=title, summary=title, published=True,
                                      body=f"<p>{title}。</p><p>详情请致电 12330 或登录本平台办理。</p>"), staff)

    # the media matrix: journal issues (with their PDF), animation and micro-video episodes,
    # articles, awards — registered by staff through the service
    month0 = today.date().replace(day=1)

    def publish(pdf=None, **fields):
        return services.save_publication(Publication(**fields), staff, pdf=pdf)

    for m in range(12):
        day = today.date() - datetime.timedelta(days=30 * m + 1)
        if m % 2 == 0:
            title = f"《内蒙古知识产权》{day.year}年第{6 - m // 2}期"
            pdf = _journal_pdf(title, day) if (m == 0 or not small) else None
            publish(kind="journal_issue", title=title, channel="journal", number=f"{day.year}-{6 - m // 2}",
                    published_on=day, views=rnd.randrange(800, 2000), pdf=pdf)
        publish(kind="animation", title=f"《安安知道》第{12 - m}集", channel="douyin",
                number=str(12 - m), published_on=day, views=rnd.randrange(5000, 40000),
                likes=rnd.randrange(200, 3000), shares=rnd.randrange(50, 800))
        publish(kind="article", title=f"知识产权保护月报（{day:%Y-%m}）", channel="wechat",
                published_on=day, views=rnd.randrange(1000, 6000), likes=rnd.randrange(20, 300),
                shares=rnd.randrange(10, 200))
        publish(kind="micro_video", title=f"预审小课堂第{12 - m}讲", channel="web",
                published_on=day, views=rnd.randrange(300, 3000))
    publish(kind="award", title="《安安知道》获全国知识产权优秀动漫作品奖", channel="web",
            published_on=month0 - datetime.timedelta(days=100))
    ctx["stdout"].write(f"outreach: {Event.objects.count()} events, {Registration.objects.count()} registrations, "
                        f"{PracticeBase.objects.count()} practice bases, {Publication.objects.count()} publications")
