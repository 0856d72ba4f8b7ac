"""Demo data of patent navigation: the chain taxonomies, the Ordos coal-chemical
industry-planning project and the special-alloy project, each filled by importing the
shipped demo exports through the import service (5,500 patents; the ``small`` volume of the
tests imports a few hundred generated rows of the same exports instead)."""
import datetime
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.demo import SMALL, volume

from . import demo, services, taxonomies
from .models import NavigationProject

DEMO_DIR = Path(__file__).resolve().parent / "fixtures" / "demo"
CUTOFF = datetime.date(2024, 12, 31)


def _small_export(filename):
    """A few hundred rows in the format of the shipped ``filename`` (the coal exports overlap
    as the shipped ones do, so the import still merges duplicates)."""
    coal = demo.generate(300, "coal", seed=11)
    writers = {"煤化工-incoPat导出-GB18030.csv": (demo.write_chinese_csv, coal[:200]),
               "煤化工-Lens导出.csv": (demo.write_lens_csv, coal[120:260]),
               "煤化工-GooglePatents导出.csv": (demo.write_google_csv, coal[240:300]),
               "特种合金-PatSnap导出.xlsx": (demo.write_chinese_xlsx, demo.generate(200, "alloy", seed=12))}
    write, records = writers[filename]
    out = io.BytesIO()
    write(records, out)
    return out.getvalue()


def _import(project, user, filename, database, small=False):
    path = DEMO_DIR / filename
    if not path.exists():
        return None
    upload = SimpleUploadedFile(filename, _small_export(filename) if small else path.read_bytes())
    imp = services.upload_export(project, upload, user, database_name=database, cutoff_date=CUTOFF)
    services.confirm_import(imp, user, imp.mapping["columns"])
    services.run_import(imp.pk)  # a no-op when the eager task already ran it
    imp.refresh_from_db()
    return imp


def seed(ctx):
    users, orgs = ctx["users"], ctx["orgs"]
    small = volume(ctx) == SMALL
    analyst, manager = users["analyst"], users["manager"]
    coal = taxonomies.ensure_chain(taxonomies.COAL_CHEMICAL)
    alloy = taxonomies.ensure_chain(taxonomies.SPECIAL_ALLOY)
    today = timezone.localdate()
    specs = [
        dict(name="鄂尔多斯市现代煤化工产业规划类专利导航", project_type=NavigationProject.Type.INDUSTRY,
             client_organization=orgs.get("ordos-coal"), topic="现代煤化工（煤制油、煤制烯烃、煤制乙二醇）",
             ipc_scope="C10J, C10G, C07C, B01J, C02F", regions="全球；重点：内蒙古鄂尔多斯", year_from=2008,
             year_to=2024, databases="incoPat；Lens.org；Google Patents", chain=coal,
             search_strategy="(煤气化 OR 煤制油 OR 煤制烯烃 OR 甲醇制烯烃 OR 煤制乙二醇 OR 费托合成) AND "
                             "IPC=(C10J OR C10G OR C07C OR B01J)；申请日 2008-01-01 至 2024-12-31",
             files=[("煤化工-incoPat导出-GB18030.csv", "incoPat"), ("煤化工-Lens导出.csv", "Lens.org"),
                    ("煤化工-GooglePatents导出.csv", "Google Patents")]),
        dict(name="特种合金产业专利导航（包头）", project_type=NavigationProject.Type.INDUSTRY,
             client_organization=orgs.get("rare-earth"), topic="特种合金与稀土功能材料",
             ipc_scope="C22C, C22F, B22F, H01F 1", regions="全球；重点：内蒙古包头", year_from=2008, year_to=2024,
             databases="PatSnap", chain=alloy,
             search_strategy="(高温合金 OR 镁合金 OR 钛合金 OR 稀土永磁) AND IPC=(C22C OR C22F OR H01F1)",
             files=[("特种合金-PatSnap导出.xlsx", "PatSnap")]),
    ]
    for spec in specs:
        files = spec.pop("files")
        if NavigationProject.objects.filter(name=spec["name"]).exists():
            continue
        project = services.create_project(analyst, members=[manager], **spec)
        phases = list(project.phases.all())
        for i, phase in enumerate(phases):
            services.plan_phase(phase, analyst, owner=analyst, due_date=today + datetime.timedelta(days=14 * (i + 1)))
        for phase in phases[:3]:
            services.complete_phase(phase, analyst)
        for filename, database in files:
            imp = _import(project, analyst, filename, database, small=small)
            if imp is not None:
                ctx["stdout"].write(f"  {project.name}: {filename} → {imp.get_status_display()} "
                                    f"(新增 {imp.created_count}，合并 {imp.merged_count})")
