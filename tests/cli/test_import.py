"""``mw-constructs import`` (issue 22): from a Terraform state, a YAML template and an account
(moto) to a module and a cdk import mapping, with every refusal, escape hatch and finding
printed; bad sources end in one line and exit 2."""

from __future__ import annotations

import json

import boto3
import pytest

from mw_constructs.cli import main
from tests.readback.test_files import YAML
from tests.support.adoption import STATE


def run(capsys, *arguments):
    status = main(list(arguments))
    out, err = capsys.readouterr()
    return status, out, err


def test_import_of_a_terraform_state_writes_the_module_and_the_import_mapping(tmp_path, capsys):
    state = tmp_path / "state.json"
    state.write_text(json.dumps(STATE))
    output = tmp_path / "web_patching.py"
    status, out, err = run(capsys, "import", "--terraform", str(state), "-o", str(output))
    assert (status, err) == (0, "")
    assert "class WebPatching(Stack):" in output.read_text()
    mapping = json.loads(output.with_suffix(".import.json").read_text())
    assert len(mapping) == 5 and {"WindowId": "mw-0123456789abcdef0"} in mapping.values()
    lines = out.splitlines()
    assert lines[0] == f"wrote {output}: 5 resources as class WebPatching"
    assert f'cdk import --app "python {output}" --resource-mapping {output.with_suffix(".import.json")}' in lines[1]
    assert any(line.startswith("written as a CfnResource: module.tasks.aws_ssm_patch_baseline.ubuntu: "
                               "mw-constructs refuses it: [ApprovalDelayNotSupported]") for line in lines)
    assert any(line.startswith("escape hatch: module.tasks.aws_ssm_maintenance_window_task.install: ") for line in lines)
    assert any(line.startswith("not in CloudFormation: aws_ssm_maintenance_window.this: disabled:") for line in lines)


def test_import_of_a_yaml_template_writes_no_mapping(tmp_path, capsys):
    template = tmp_path / "template.yaml"
    template.write_text(YAML)
    output = tmp_path / "out.py"
    status, out, _ = run(capsys, "import", "--template", str(template), "-o", str(output), "--class-name", "FromYaml")
    assert status == 0 and "class FromYaml(Stack):" in output.read_text()
    assert not output.with_suffix(".import.json").exists()  # a template knows no IDs to import
    assert "not imported: pass its value" in out  # the role the task refers to
    assert "parameter: Group is outside the source: give it at deploy (cdk deploy --parameters Group=...)" in out


def test_import_of_the_account_reads_it_read_only(tmp_path, capsys, monkeypatch):
    mock_aws = pytest.importorskip("moto").mock_aws  # a test dependency (the floor job's smoke run has none)

    from tests.readback.test_configuration import create_every_kind
    from tests.support import moto_ssm_reads

    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    moto_ssm_reads.install()
    output = tmp_path / "account.py"
    with mock_aws():
        create_every_kind(boto3.client("ssm", region_name="eu-west-1"))
        status, out, err = run(capsys, "import", "--account", "--region", "eu-west-1", "--tag", "Team=ops",
                               "-o", str(output))
    assert (status, err) == (0, "")
    assert len(json.loads(output.with_suffix(".import.json").read_text())) == 7
    assert "7 resources" in out.splitlines()[0]


@pytest.mark.parametrize("arguments, words", [
    (["--terraform", "missing.json"], "not a file"),
    (["--template", "empty.json"], "holds no maintenance window"),
    (["--terraform", "plan.json"], "a plan, not a state"),
    (["--template", "bad.yaml"], "not YAML"),
])
def test_fails_in_one_line_when_the_source_cannot_be_imported(tmp_path, capsys, monkeypatch, arguments, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.json").write_text('{"Resources": {}}')
    (tmp_path / "plan.json").write_text('{"planned_values": {}}')
    (tmp_path / "bad.yaml").write_text("Resources: [")
    status, out, err = run(capsys, "import", *arguments, "-o", "out.py")
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and words in err
    assert not (tmp_path / "out.py").exists()


def test_the_sources_are_exclusive_and_one_is_needed(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "-o", "out.py"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main(["import", "--account", "--template", "t.json", "-o", "out.py"])
    capsys.readouterr()
