"""The wheel ships every app, template and static file: the package list is derived from the
project's directories (pyproject's ``exclude``, not a hand-kept ``include``), and checked here
against ``INSTALLED_APPS`` and the files on disk. (CI installs the built wheel in a fresh
virtualenv outside the checkout and runs ``check`` and ``migrate`` there.)"""

import fnmatch
import tomllib
from pathlib import Path

from django.conf import settings
from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _shipped_packages() -> set[str]:
    found = CONFIG["packages"]["find"]
    return set(find_namespace_packages(where=str(ROOT), exclude=found["exclude"]))


def test_every_installed_app_of_the_project_is_shipped():
    tops = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    # (The test settings add an app of the tests' own: not the product's.)
    local = {top for top in tops if (ROOT / top).is_dir() and top != "tests"}
    assert local, "the project's apps"
    assert local <= _shipped_packages(), sorted(local - _shipped_packages())
    assert "templates" in _shipped_packages(), "the project's own templates"


def test_every_template_and_static_file_is_package_data():
    patterns = CONFIG["package-data"]["*"]
    shipped = _shipped_packages()
    missing = []
    for package in shipped:
        folder = ROOT / package.replace(".", "/")
        for path in folder.iterdir():
            data = path.is_file() and path.suffix not in (".py", ".pyc")
            if data and not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns):
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_nothing_of_the_checkout_only_is_shipped():
    shipped = _shipped_packages()
    assert not {name for name in shipped if name.split(".")[0] in ("tests", "benchmarks", "docs")}
