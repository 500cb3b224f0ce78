"""Build hook: ship the trained model, its data and the starter config inside the package.

The repository keeps `models/` and `config.yaml` at the top level (the source of truth that
people edit, retrain and review). A wheel must carry them, so building copies them into
`auditor/_shipped/` of the build, whatever files `models/` holds then (a retrained model or
new data files need no change here). Nothing is copied into the source tree.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.part", ".*")


class BuildWithShippedFiles(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "auditor" / "_shipped"
        if self.dry_run or not (HERE / "models").is_dir():
            return
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(HERE / "models", target / "models", ignore=SKIP)
        shutil.copy2(HERE / "config.yaml", target / "config.yaml")


setup(cmdclass={"build_py": BuildWithShippedFiles})
