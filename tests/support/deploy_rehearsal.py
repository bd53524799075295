"""Deploy rehearsal without an AWS account: the example apps deployed with the pinned CDK CLI to
a moto server on localhost, read back over the SSM, IAM and CloudFormation APIs, compared with
their templates, destroyed, and checked to leave nothing behind.

    python -m tests.support.deploy_rehearsal REPORT.json

Runs as a background job of the test session (tests/deploy/test_deploy.py reads the report). moto's
server runs in this process, on a free localhost port, with tests/support/moto_ssm_cloudformation.py
teaching its CloudFormation the SSM resources. Two apps:

* ``examples/app.py`` (three stacks, account 123456789012, eu-west-1): ``cdk bootstrap``,
  ``cdk deploy --all``, read back, ``cdk destroy --all``;
* ``examples/organization.py`` (the administrator's stack in 111111111111, us-east-1):
  bootstrap and deploy it, then play the StackSet: deploy each tier's published template to
  each of its Regions in a member account (222222222222), as CloudFormation StackSets would
  (moto has no StackSets), read back each Region's windows in that Region's zone, delete those
  stacks, and ``cdk destroy`` the administrator's stack;
* ``examples/state_manager.py`` (one stack, 123456789012, eu-west-1): deploy, read back its
  associations over DescribeAssociation (kept by the adapter: moto has no associations; its
  CloudFormation skips the Quick Setup configuration manager, which moto does not know), destroy.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from tests.support import ROOT, moto_ssm_cloudformation

CDK = ROOT / "node_modules" / ".bin" / "cdk"
MEMBER_ACCOUNT = "222222222222"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


class Rehearsal:
    def __init__(self, port: int, scratch: Path) -> None:
        self.port = port
        self.scratch = scratch
        self.problems: List[str] = []
        self.timings: Dict[str, float] = {}
        self.counts: Dict[str, int] = {"stacks": 0, "windows": 0, "targets": 0, "tasks": 0, "baselines": 0,
                                       "patch_groups": 0, "roles": 0, "associations": 0}
        self.endpoint = f"http://localhost:{port}"

    # ------------------------------------------------------------------ AWS clients and the CLI

    def credentials(self, account: Optional[str] = None) -> Dict[str, str]:
        """Dummy credentials: moto's default account, or (through AssumeRole) ``account``."""
        base = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}
        if account is None:
            return base
        sts = self.client("sts", "us-east-1", base)
        role = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="rehearsal")
        given = role["Credentials"]
        return {"AWS_ACCESS_KEY_ID": given["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": given["SecretAccessKey"],
                "AWS_SESSION_TOKEN": given["SessionToken"]}

    def client(self, service: str, region: str, credentials: Dict[str, str]) -> Any:
        import boto3

        return boto3.client(service, region_name=region, endpoint_url=self.endpoint,
                            aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
                            aws_session_token=credentials["AWS_SESSION_TOKEN"])

    def cdk(self, label: str, app: str, outdir: Path, region: str, credentials: Dict[str, str], *arguments: str) -> None:
        """Run the pinned CLI. ``app`` is a Python program the first time (``cdk synth``); after
        that the commands read the cloud assembly it wrote (``--app outdir``), as a pipeline that
        synthesizes once would, so the app is not synthesized again for every command."""
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
            **credentials,
            "AWS_ENDPOINT_URL": self.endpoint, "AWS_REGION": region, "AWS_DEFAULT_REGION": region,
            "CDK_DISABLE_VERSION_CHECK": "1",
            "CI": "true", "PYTHONPATH": str(ROOT / "src"),
        }
        start = time.perf_counter()
        source = str(outdir) if (outdir / "manifest.json").exists() and arguments[0] != "synth" else f"{sys.executable} {app}"
        done = subprocess.run([str(CDK), *arguments, "--app", source, *(["--output", str(outdir)] if source != str(outdir) else []),
                               "--no-notices", "--no-version-reporting", "--ci"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        self.timings[label] = round(time.perf_counter() - start, 1)
        if done.returncode != 0:
            raise RuntimeError(f"cdk {' '.join(arguments)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n"
                               f"{done.stderr[-6000:]}")

    def moto_ssm(self, region: str, credentials: Dict[str, str]) -> Tuple[str, Any]:
        """The caller's account and moto's SSM backend of it in ``region``: where moto's API lacks
        an answer (GetPatchBaseline, DescribePatchGroups, a task's type) the backend is read."""
        from moto.ssm.models import ssm_backends

        account = self.client("sts", region, credentials).get_caller_identity()["Account"]
        return account, ssm_backends[account][region]

    # ------------------------------------------------------------------ read back and compare

    def compare_stack(self, stack_name: str, template: Dict[str, Any], region: str, credentials: Dict[str, str]) -> None:
        """Every SSM resource of ``template``, deployed as ``stack_name``, against what SSM and
        IAM say."""
        from tests.support.api_model import _Resolver

        cloudformation = self.client("cloudformation", region, credentials)
        ssm = self.client("ssm", region, credentials)
        iam = self.client("iam", region, credentials)
        physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in
                    cloudformation.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]}
        resolver = _Resolver(template, region)
        resources = template.get("Resources") or {}
        self.counts["stacks"] += 1

        account, backend = self.moto_ssm(region, credentials)
        resolver.pseudo["AWS::AccountId"] = account
        resolver.deployed = {logical_id: physical_id for logical_id, physical_id in physical.items() if physical_id}
        for other, resource in resources.items():
            if resource.get("Type") == "Custom::AwsPatchBaselineLookup":  # AWS's baseline of that name
                resolver.attributes[(other, "BaselineId")] = \
                    moto_ssm_cloudformation._aws_baseline(resource["Properties"]["BaselineName"], region)

        def resolved(logical_id: str) -> Dict[str, Any]:
            return dict(resolver.resolve(resources[logical_id].get("Properties") or {}))

        def where(logical_id: str) -> str:
            return f"{stack_name}/{logical_id} ({region})"

        def same(logical_id: str, key: str, expected: Any, actual: Any) -> None:
            if expected is None and actual == "":  # moto answers '' for an optional string never set
                return
            if expected != actual:
                self.problems.append(f"{where(logical_id)}: {key} is {actual!r} in SSM, {expected!r} in the template")

        window_of_target: Dict[str, str] = {}
        for logical_id, resource in resources.items():
            kind = resource.get("Type")
            if kind == "AWS::SSM::MaintenanceWindow":
                self.counts["windows"] += 1
                p = resolved(logical_id)
                window = ssm.get_maintenance_window(WindowId=physical[logical_id])
                for key in ("Name", "Description", "Schedule", "ScheduleTimezone", "ScheduleOffset", "StartDate",
                            "EndDate", "Duration", "Cutoff", "AllowUnassociatedTargets"):
                    same(logical_id, key, p.get(key), window.get(key))
                disabled = any(r.get("Type") == "Custom::MaintenanceWindowDisabled" and
                               (r.get("Properties") or {}).get("WindowId") == {"Ref": logical_id} for r in resources.values())
                same(logical_id, "Enabled", not disabled, window.get("Enabled"))
            elif kind == "AWS::SSM::MaintenanceWindowTarget":
                self.counts["targets"] += 1
                p = resolved(logical_id)
                registered = {t["WindowTargetId"]: t for t in
                              ssm.describe_maintenance_window_targets(WindowId=p["WindowId"])["Targets"]}
                target = registered.get(physical[logical_id])
                if target is None:
                    self.problems.append(f"{where(logical_id)}: not registered with window {p['WindowId']}")
                    continue
                window_of_target[physical[logical_id]] = p["WindowId"]
                for key in ("ResourceType", "Targets", "Name", "Description", "OwnerInformation"):
                    same(logical_id, key, p.get(key), target.get(key))
        for logical_id, resource in resources.items():
            kind = resource.get("Type")
            if kind == "AWS::SSM::MaintenanceWindowTask":
                self.counts["tasks"] += 1
                p = resolved(logical_id)
                tasks = {t["WindowTaskId"]: t for t in ssm.describe_maintenance_window_tasks(WindowId=p["WindowId"])["Tasks"]}
                task = tasks.get(physical[logical_id])
                if task is None:
                    self.problems.append(f"{where(logical_id)}: not registered with window {p['WindowId']}")
                    continue
                for key in ("TaskArn", "Priority", "MaxConcurrency", "MaxErrors", "ServiceRoleArn"):
                    same(logical_id, key, p.get(key), task.get(key))
                # moto answers TaskType where the API's DescribeMaintenanceWindowTasks has Type, so
                # botocore drops it: read from moto's backend
                same(logical_id, "TaskType", p.get("TaskType"),
                     task.get("Type") or backend.windows[p["WindowId"]].tasks[physical[logical_id]].task_type)
                for target in task.get("Targets") or ():
                    for target_id in target["Values"] if target["Key"] == "WindowTargetIds" else ():
                        if window_of_target.get(target_id) != p["WindowId"]:
                            self.problems.append(f"{where(logical_id)}: WindowTargetIds entry {target_id} is no "
                                                 f"target of window {p['WindowId']}")
                role_arn = task.get("ServiceRoleArn")
                if role_arn:
                    self._check_role(iam, role_arn, where(logical_id))
            elif kind == "AWS::SSM::PatchBaseline":
                self.counts["baselines"] += 1
                p = resolved(logical_id)
                identity = next((b for b in ssm.describe_patch_baselines()["BaselineIdentities"]
                                 if b["BaselineId"] == physical[logical_id]), None)
                if identity is None:
                    self.problems.append(f"{where(logical_id)}: baseline {physical[logical_id]} not in DescribePatchBaselines")
                    continue
                for key, member in (("Name", "BaselineName"), ("OperatingSystem", "OperatingSystem"),
                                    ("Description", "BaselineDescription")):
                    same(logical_id, key, p.get(key), identity.get(member))
                # moto has no GetPatchBaseline: the approval rules are read from its backend
                stored = backend.baselines[physical[logical_id]]
                same(logical_id, "ApprovalRules", p.get("ApprovalRules"), stored.approval_rules)
                same(logical_id, "GlobalFilters", p.get("GlobalFilters"), stored.global_filters)
                for group in p.get("PatchGroups") or ():
                    self._check_patch_group(ssm, group, p.get("OperatingSystem", "WINDOWS"), physical[logical_id],
                                            where(logical_id))
            elif kind == "AWS::SSM::Association":
                self.counts["associations"] += 1
                p = resolved(logical_id)
                try:
                    described = ssm.describe_association(AssociationId=physical[logical_id])["AssociationDescription"]
                except Exception as error:  # noqa: BLE001 - reported, not raised
                    self.problems.append(f"{where(logical_id)}: DescribeAssociation failed ({error})")
                    continue
                for key in ("Name", "Parameters", "Targets", "ScheduleExpression", "ScheduleOffset", "AssociationName",
                            "ApplyOnlyAtCronInterval", "MaxConcurrency", "MaxErrors", "ComplianceSeverity",
                            "SyncCompliance", "CalendarNames", "OutputLocation", "AutomationTargetParameterName"):
                    same(logical_id, key, p.get(key), described.get(key))
            elif kind == "Custom::AwsPatchBaselinePatchGroup":
                parameters = resolved(logical_id)
                baseline = parameters["BaselineId"]
                operating_system = next(os_name for os_name, arn in _defaults(region).items() if arn == baseline)
                self._check_patch_group(ssm, parameters["PatchGroup"], operating_system, baseline, where(logical_id))

    def _check_role(self, iam: Any, role_arn: str, where: str) -> None:
        try:
            role = iam.get_role(RoleName=role_arn.rsplit("/", 1)[1])["Role"]
        except Exception as error:  # noqa: BLE001 - reported, not raised
            self.problems.append(f"{where}: service role {role_arn} does not exist ({error})")
            return
        self.counts["roles"] += 1
        document = role["AssumeRolePolicyDocument"]
        document = json.loads(document) if isinstance(document, str) else document
        services = {s for statement in document["Statement"] if statement.get("Effect") == "Allow"
                    for s in _as_list((statement.get("Principal") or {}).get("Service"))}
        if "ssm.amazonaws.com" not in services:
            self.problems.append(f"{where}: role {role_arn} does not trust ssm.amazonaws.com ({services})")

    def _check_patch_group(self, ssm: Any, group: str, operating_system: str, baseline_id: str, where: str) -> None:
        self.counts["patch_groups"] += 1
        found = ssm.get_patch_baseline_for_patch_group(PatchGroup=group, OperatingSystem=operating_system)
        if found.get("BaselineId") != baseline_id:
            self.problems.append(f"{where}: patch group {group!r} ({operating_system}) has baseline "
                                 f"{found.get('BaselineId')}, not {baseline_id}")

    def check_nothing_left(self, label: str, region: str, credentials: Dict[str, str], keep_stacks: Tuple[str, ...]) -> None:
        ssm = self.client("ssm", region, credentials)
        cloudformation = self.client("cloudformation", region, credentials)
        windows = ssm.describe_maintenance_windows()["WindowIdentities"]
        baselines = [b for b in ssm.describe_patch_baselines()["BaselineIdentities"] if not b["BaselineId"].startswith("arn:")]
        stacks = [s["StackName"] for s in cloudformation.list_stacks()["StackSummaries"]
                  if s["StackStatus"] != "DELETE_COMPLETE" and s["StackName"] not in keep_stacks]
        defaults = _defaults(region)
        groups = [f"{name}:{os_name}" for name, group in self.moto_ssm(region, credentials)[1].patch_groups.items()
                  for os_name, baseline in group.associations.items()  # moto has no DescribePatchGroups
                  if baseline != defaults.get(os_name)]
        associations = ssm.list_associations()["Associations"]
        for what, left in (("windows", windows), ("baselines", baselines), ("stacks", stacks), ("patch groups", groups),
                           ("associations", associations)):
            if left:
                self.problems.append(f"{label} ({region}): {what} left after destroy: {left}")


def _as_list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _defaults(region: str) -> Dict[str, str]:
    from moto.ssm.models import FakePatchGroup

    return dict(FakePatchGroup("lookup", region).default_associations)


def _stacks_of(outdir: Path) -> List[Tuple[str, Dict[str, Any]]]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    return [(artifact.get("displayName", name), json.loads((outdir / artifact["properties"]["templateFile"]).read_text()))
            for name, artifact in manifest["artifacts"].items() if artifact["type"] == "aws:cloudformation:stack"]


def rehearse_app(r: Rehearsal) -> None:
    """examples/app.py: bootstrap, deploy --all, read back, destroy --all, nothing left."""
    _rehearse_one_account("app", "examples/app.py", r, bootstrap=True)


def rehearse_state_manager(r: Rehearsal) -> None:
    """examples/state_manager.py: the same, into the account bootstrapped for examples/app.py."""
    _rehearse_one_account("state manager", "examples/state_manager.py", r, bootstrap=False)


def _rehearse_one_account(label: str, app: str, r: Rehearsal, *, bootstrap: bool) -> None:
    region, credentials = "eu-west-1", r.credentials()
    outdir = r.scratch / f"{label.replace(' ', '-')}.out"
    r.cdk(f"{label}: synth", app, outdir, region, credentials, "synth", "--quiet")
    if bootstrap:
        r.cdk(f"{label}: bootstrap", app, outdir, region, credentials, "bootstrap", "aws://123456789012/eu-west-1")
    r.cdk(f"{label}: deploy --all", app, outdir, region, credentials, "deploy", "--all", "--require-approval", "never")
    for name, template in _stacks_of(outdir):
        r.compare_stack(name, template, region, credentials)
    r.cdk(f"{label}: destroy --all", app, outdir, region, credentials, "destroy", "--all", "--force")
    r.check_nothing_left(app, region, credentials, keep_stacks=("CDKToolkit",))


def rehearse_organization(r: Rehearsal) -> None:
    """examples/organization.py: the administrator's stack with the CLI, each tier's template in
    each Region of a member account as the StackSet would, then everything removed."""
    from examples import organization  # examples/organization.py

    admin_region = organization.ADMINISTRATOR.region
    admin = r.credentials(organization.ADMINISTRATOR.account)
    outdir = r.scratch / "organization.out"
    app = "examples/organization.py"
    r.cdk("organization: synth", app, outdir, admin_region, admin, "synth", "--quiet")
    r.cdk("organization: bootstrap", app, outdir, admin_region, admin, "bootstrap",
          f"aws://{organization.ADMINISTRATOR.account}/{admin_region}")
    r.cdk("organization: deploy --all", app, outdir, admin_region, admin, "deploy", "--all", "--require-approval", "never")
    [(_, admin_template)] = _stacks_of(outdir)
    s3 = r.client("s3", admin_region, admin)
    member = r.credentials(MEMBER_ACCOUNT)
    start = time.perf_counter()
    instances = []
    for logical_id, resource in admin_template["Resources"].items():
        if resource["Type"] != "AWS::CloudFormation::StackSet":
            continue
        properties = resource["Properties"]
        url = properties["TemplateURL"]["Fn::Sub"]
        bucket, key = url.split("/", 4)[3:5]
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()  # what the CLI published
        for group in properties["StackInstancesGroup"]:
            for region in group["Regions"]:
                name = f"StackSet-{properties['StackSetName']}-{region}"
                cloudformation = r.client("cloudformation", region, member)
                cloudformation.create_stack(StackName=name, TemplateBody=body, Capabilities=properties["Capabilities"])
                status = cloudformation.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
                if status != "CREATE_COMPLETE":
                    r.problems.append(f"{name}: {status}")
                r.compare_stack(name, json.loads(body), region, member)
                instances.append((cloudformation, name, region))
    for cloudformation, name, region in instances:
        cloudformation.delete_stack(StackName=name)
    r.timings["organization: stack instances (create, read back, delete)"] = round(time.perf_counter() - start, 1)
    for region in {region for _, _, region in instances}:
        r.check_nothing_left("examples/organization.py StackSet instances", region, member, keep_stacks=())
    r.counts["stack_instances"] = len(instances)
    r.cdk("organization: destroy --all", app, outdir, admin_region, admin, "destroy", "--all", "--force")
    r.check_nothing_left("examples/organization.py", admin_region, admin, keep_stacks=("CDKToolkit",))


def main(report_path: Path) -> int:
    import tempfile

    from moto.server import ThreadedMotoServer

    moto_ssm_cloudformation.install()
    port = free_port()
    server = ThreadedMotoServer(ip_address="localhost", port=port, verbose=False)
    server.start()
    report: Dict[str, Any] = {}
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="mw-rehearsal-") as scratch:
            r = Rehearsal(port, Path(scratch))
            steps: List[Tuple[str, Callable[[Rehearsal], None]]] = [
                ("app", rehearse_app), ("state manager", rehearse_state_manager), ("organization", rehearse_organization)]
            for label, step in steps:
                try:
                    step(r)
                except Exception as error:  # noqa: BLE001 - reported as a problem of the rehearsal
                    r.problems.append(f"{label}: {type(error).__name__}: {error}")
            report = {"problems": r.problems, "timings": r.timings, "counts": r.counts, "port": port}
    finally:
        server.stop()
    report["seconds"] = round(time.perf_counter() - start, 1)
    report_path.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
