"""rhythmictech's module with its README's inputs: scan and install windows for the ten
platforms' patch groups, each group on AWS's default baseline for its platform."""

from aws_cdk import Duration

from mw_constructs import (
    AwsManagedBaseline,
    OperatingSystem,
    PatchingWindow,
    PatchOperation,
    RunPatchBaselineTask,
    WindowSchedule,
    WindowTarget,
)

SOURCE = ("resolved.json", "resolved")
PLATFORMS = sorted(["AMAZON_LINUX_2", "AMAZON_LINUX", "CENTOS", "ORACLE_LINUX", "SUSE", "WINDOWS", "DEBIAN", "UBUNTU",
                    "REDHAT_ENTERPRISE_LINUX", "MACOS"])


def build(stack):
    built = {}
    for kind, description, expression, hours, rate, comment, operation in (
            ("scan", "Maintenance window for scanning for patch compliance", "cron(0 3 ? * * *)", 4, 20,
             "Runs a compliance scan", PatchOperation.SCAN),
            ("install", "Maintenance window for applying patches", "cron(0 4 ? * SUN *)", 3, 2,
             "Installs necessary patches", PatchOperation.INSTALL)):
        window = PatchingWindow(stack, f"{kind}Window", window_name=f"{kind}-patch-manager", description=description,
                                schedule=WindowSchedule.expression(expression, time_zone="UTC"),
                                duration=Duration.hours(hours), cutoff=Duration.hours(1),
                                tags={"terraform_managed": "True"})
        targets = {platform: WindowTarget(stack, f"{kind}{platform}", window=window, tags={"Patch Group": [platform]})
                   for platform in PLATFORMS}
        task = RunPatchBaselineTask(stack, f"{kind}Task", window=window, targets=list(targets.values()), operation=operation,
                                    comment=comment, output_s3_bucket="patch-manager-logs-example",
                                    output_s3_key_prefix=f"/patch_manager/{kind}/", timeout=Duration.seconds(120),
                                    service_linked_role=True, priority=1, max_concurrency=rate, max_errors=rate)
        built[f"aws_ssm_maintenance_window.{kind}"] = window
        built[f"aws_ssm_maintenance_window_task.{kind}"] = task
        built.update({f'aws_ssm_maintenance_window_target.{kind}["{p}"]': t for p, t in targets.items()})
    for platform in PLATFORMS:
        AwsManagedBaseline(stack, f"Default{platform}", operating_system=OperatingSystem[platform], patch_groups=[platform])
    return built
