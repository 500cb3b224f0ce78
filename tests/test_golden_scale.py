"""The commands the scale benchmark times write, byte for byte, what the code before the
issue 14 speed-ups wrote (tests/golden_scale.py says how the expected files were made)."""

import golden_scale
import pytest


@pytest.fixture(scope="module")
def got(tmp_path_factory):
    return golden_scale.outputs(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", [*golden_scale.RUNS, "tables.json"])
def test_output_is_byte_for_byte_the_golden_one(got, name):
    expected = (golden_scale.HERE / name).read_bytes()
    assert got[name] == expected, f"{name} differs from tests/data/scale_golden/{name}"
