"""The connector kit is installable the way an integrator installs it: a clean virtualenv,
``pip install ./sdk`` and the PDAM example from ``examples/pdam``, and the example's own tests
pass there, with nothing of the suite on the path (``mpp_connector`` and ``pdam_connector``
come from the virtualenv's site-packages). Needs PyPI (or pip's cache) for nameko and pymongo.
"""
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, cwd, env):
    done = subprocess.run([str(a) for a in args], cwd=str(cwd), env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


def test_kit_and_example_install_into_a_clean_virtualenv_and_pass(tmp_path):
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python, pytest_bin = target / "bin" / "python", target / "bin" / "pytest"
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    # built from copies: pip's in-tree build leaves build/ and *.egg-info behind
    ignore = shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
    sdk = shutil.copytree(ROOT / "sdk", tmp_path / "sdk", ignore=ignore)
    pdam = shutil.copytree(ROOT / "examples" / "pdam", tmp_path / "pdam", ignore=ignore)
    run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         str(sdk) + "[testing]", str(pdam) + "[test]"], tmp_path, env)

    where = run([python, "-c", "import mpp_connector, pdam_connector, mpp_connector.service; "
                               "print(mpp_connector.__file__); print(pdam_connector.__file__)"],
                tmp_path, env)
    assert all(str(target) in line for line in where.split()), where

    # the plugin came with the package (pytest11 entry point): no conftest names it
    copy = tmp_path / "pdam-tests"  # away from the sources: only the installed code runs
    copy.mkdir()
    for path in (pdam / "tests").glob("*.py"):
        (copy / path.name).write_text(path.read_text())
    out = run([pytest_bin, "-q", "-p", "no:cacheprovider", str(copy)], tmp_path, env)
    assert " passed" in out and "failed" not in out, out
    assert sys.version_info >= (3, 11)
