"""The import contracts in pyproject.toml ([tool.importlinter]) hold for the real tree and catch a planted import.

Each planted import goes into a copy of the product's packages in a temporary folder, never into the working tree.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
NOT_PRODUCT = {"tests", "bench", "docs", "bin", "static", "templates", "locale", "media", "staticfiles", "artifacts"}


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def product_packages(root: Path) -> set[str]:
    return {
        path.parent.name
        for path in root.glob("*/__init__.py")
        if path.parent.name not in NOT_PRODUCT and not path.parent.name.startswith(".")
    }


@pytest.fixture
def tree(tmp_path):
    """A copy of pyproject.toml and the product's Python packages (sources only)."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for package in product_packages(ROOT):
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "migrations", "*.html", "*.po", "*.mo"),
        )
    return tmp_path


def plant(tree: Path, module: str, source: str) -> None:
    *packages, name = module.split(".")
    folder = tree.joinpath(*packages)
    for depth in range(1, len(packages) + 1):
        package = tree.joinpath(*packages[:depth])
        package.mkdir(exist_ok=True)
        (package / "__init__.py").touch()
    (folder / f"{name}.py").write_text(source)


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_product_package_is_analysed():
    # A package missing from root_packages would be checked by no contract (a new app, care/, api/, demo/).
    missing = product_packages(ROOT) - set(CONFIG["root_packages"])
    assert not missing, f"add {sorted(missing)} to root_packages in [tool.importlinter] in pyproject.toml"


def test_the_copy_keeps_every_contract(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("helpdesk.accounts.planted", "from tickets import models\n", "Apps depend one way"),
        ("tickets.planted", "def later():\n    import feedback.models\n", "Apps depend one way"),
        ("knowledgebase.planted", "import aftersales.models\n", "Apps depend one way"),
        ("feedback.planted", "from reports import models\n", "Apps depend one way"),
        ("tickets.planted", "from email.parser import BytesParser\n", "Only the e-mail channel and the outbox import"),
        ("reports.planted", "import email.utils\n", "Only the e-mail channel and the outbox import"),
        ("reports.recompute.planted", "from reports.selectors import Period\n",
         "The report recompute job does not import the report pages"),
        ("reports.recompute.planted", "def later():\n    from reports import services\n",
         "The report recompute job does not import the report pages"),
    ],
)
def test_a_planted_import_breaks_its_contract(tree, module, source, contract):
    plant(tree, module, source)
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken
    assert module in broken


def test_an_app_importing_demo_breaks_the_contract(tree):
    if not (tree / "demo").exists():
        plant(tree, "demo.stories", "")
    plant(tree, "aftersales.planted", "from demo import stories\n")
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "No app imports demo BROKEN" in result.stdout
    assert "aftersales.planted -> demo" in result.stdout


def test_the_email_channel_may_import_email(tree):
    plant(tree, "tickets.channels.email.planted", "from email.parser import BytesParser\n")
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
