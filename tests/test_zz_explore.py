from tui_helpers import *
import time, traceback
from kamtui.tui.app import KamApp

async def test_x(tmp_path, monkeypatch):
    orig = KamApp.plan_changed
    def pc(self):
        traceback.print_stack(limit=8)
        orig(self)
    monkeypatch.setattr(KamApp, "plan_changed", pc)
    path = copy_demo(tmp_path / "plans")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        print(app.planfile.snapshot() == app.planfile._base)
        print(app.plan.diagnostic.get("know-client"))
