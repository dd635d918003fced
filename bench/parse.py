"""The loading floor: a bare ``yaml.CSafeLoader`` parse of every data file under DATA_DIR.

python bench/parse.py DATA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
