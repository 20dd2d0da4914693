"""The pytest plugin: plain `pytest` in a folder of flows runs their scenarios."""

from __future__ import annotations

import shutil

import pytest

from support import BUNDLED

pytest_plugins = ["pytester"]


@pytest.fixture
def flows(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copytree(BUNDLED.parent, pytester.path, dirs_exist_ok=True)
    return pytester


def test_collects_one_item_per_scenario_named_by_it(flows: pytest.Pytester) -> None:
    result = flows.runpytest("--collect-only", "-q")
    result.assert_outcomes()
    lines = result.stdout.lines
    assert (
        "account-login.tests.yaml::a shop buyer who still can't sign in is sent to the shop"
        in lines
    )
    assert sum(1 for line in lines if line.startswith("account-login.tests.yaml::")) == 14


def test_bundled_scenarios_pass(flows: pytest.Pytester) -> None:
    flows.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=14)


def test_a_failing_scenario_reports_what_and_where(flows: pytest.Pytester) -> None:
    (flows.path / "account-login.tests.yaml").write_text(
        "scenarios:\n"
        "  - name: fine\n"
        "    answers: [online]\n"
        "  - name: ends in the wrong place\n"
        "    answers: [retail, cant_access, not_solved]\n"
        "    expect: {node: contact_support}\n"
        "  - name: fine\n"
    )
    result = flows.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*account-login.tests.yaml:4: scenario 'ends in the wrong place' failed:",
            "  expected to end at node 'contact_support', ended at 'contact_retailer'",
            "FAILED account-login.tests.yaml::ends in the wrong place - *",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_broken_scenario_file_is_a_collection_error(flows: pytest.Pytester) -> None:
    (flows.path / "account-login.tests.yaml").write_text("scenarios:\n  - nmae: x\n")
    result = flows.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [
            r".*account-login\.tests\.yaml:2:5: error: scenarios\[0\]: missing required key 'name'",
            r".*account-login\.tests\.yaml:2:5: error: scenarios\[0\]\.nmae: unknown key",
        ]
    )


def test_other_yaml_files_are_not_collected(flows: pytest.Pytester) -> None:
    (flows.path / "account-login.tests.yaml").unlink()
    result = flows.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
