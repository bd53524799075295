"""Example apps.

* ``PatchingExample``: weekday-night patching for non-production, weekend-morning patching for
  production, one least-privilege role and a PassRole grant (the console steps, as code).
* ``PatchingComplete``: the same tiers built from ``EnvironmentSchedule`` presets, with patch
  baselines per OS and tier (approval delays test 3 days, production 7), an AWS-managed baseline
  for development, command output to S3 and CloudWatch Logs, SNS notifications on failures, and
  the instance role that may write the output.
* ``PatchingRunbook``: the enterprise sequence as a :class:`Runbook` of every task kind:
  pre-check (Lambda), stop services (Run Command), image backup (Automation), patch, start
  services, health check (Step Functions, once per run).

Synthesize with the pinned CDK CLI (see README quick start):
    node_modules/.bin/cdk synth
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, CfnResource, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from mw_constructs import (
    ApprovalRule,
    AutomationTask,
    AwsManagedBaseline,
    ComplianceLevel,
    CutoffBehavior,
    EnvironmentSchedule,
    LambdaTask,
    ManagedInstanceRole,
    MaintenanceWindowRole,
    MaxConcurrency,
    MaxErrors,
    PatchGroupTarget,
    OperatingSystem,
    PatchBaseline,
    PatchCompliance,
    PatchingAlerts,
    PatchFilter,
    PatchFilterKey,
    PatchingWindow,
    PatchOperation,
    PseudoParameter,
    RebootOption,
    RunCommandTask,
    Runbook,
    RunPatchBaselineTask,
    StepFunctionsTask,
    TaskNotifications,
    TaskOutput,
    WindowSchedule,
)

TIME_ZONE = "Europe/Amsterdam"


class PatchingStack(Stack):
    """Two windows in Amsterdam time sharing one least-privilege role.

    * non-production: Monday-Friday 22:00 for 5 hours (no new tasks after 02:00);
    * production: Saturday and Sunday 06:00 for 5 hours (no new tasks after 10:00).

    Each window scans first (priority 1) and then installs (priority 2), a few
    instances at a time, and the patching admins may register tasks with the role.
    """

    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        role = MaintenanceWindowRole(self, "PatchingRole")
        admins = iam.Group(self, "PatchingAdmins")
        # The admins may pass the role to SSM (to register tasks), via a customer managed policy.
        iam.ManagedPolicy(self, "PassPatchingRole", statements=[role.pass_role_statement()], groups=[admins])
        for pack in ("HIPAA.Security", "PCI.DSS.321"):
            Validations.of(admins).acknowledge(Acknowledgment(
                id=f"{pack}::{pack}-IAMGroupHasUsers",
                reason="Members are assigned outside this app (identity provider); the group only carries the grant.",
            ))

        non_production = PatchingWindow(
            self,
            "NonProduction",
            schedule=WindowSchedule.expression("cron(0 22 ? * MON-FRI *)", time_zone=TIME_ZONE),
            duration=Duration.hours(5),
            cutoff=Duration.hours(1),
            description="Non-production patching, weekday nights",
            role=role,
        )
        test_servers = PatchGroupTarget(self, "TestServers", window=non_production, patch_group="test-servers")
        self._scan_then_install(non_production, test_servers, concurrency=MaxConcurrency.percent(50), errors="25%")

        production = PatchingWindow(
            self,
            "Production",
            schedule=WindowSchedule.cron(minute=0, hour=6, week_day="SAT,SUN", time_zone=TIME_ZONE),
            duration=Duration.hours(5),
            cutoff=Duration.hours(1),
            description="Production patching, weekend mornings",
            role=role,
            tags={"environment": "production"},
        )
        web = PatchGroupTarget(self, "WebServers", window=production, patch_group="prod-web")
        self._scan_then_install(production, web, concurrency="10%", errors=MaxErrors.count(1))

    def _scan_then_install(self, window: PatchingWindow, target: PatchGroupTarget, *, concurrency, errors) -> None:
        prefix = window.node.id
        RunPatchBaselineTask(
            self,
            f"{prefix}Scan",
            window=window,
            targets=[target],
            operation=PatchOperation.SCAN,
            priority=1,
            max_concurrency=concurrency,
            max_errors=errors,
        )
        RunPatchBaselineTask(
            self,
            f"{prefix}Install",
            window=window,
            targets=[target],
            operation=PatchOperation.INSTALL,
            reboot_option=RebootOption.REBOOT_IF_NEEDED,
            priority=2,
            max_concurrency=concurrency,
            max_errors=errors,
            cutoff_behavior=CutoffBehavior.CANCEL_TASK,
            timeout=Duration.minutes(30),
        )


LINUX_SECURITY = [
    PatchFilter(PatchFilterKey.CLASSIFICATION, ["Security", "Bugfix"]),
    PatchFilter(PatchFilterKey.SEVERITY, ["Critical", "Important"]),
]
WINDOWS_SECURITY = [
    PatchFilter(PatchFilterKey.CLASSIFICATION, ["CriticalUpdates", "SecurityUpdates"]),
    PatchFilter(PatchFilterKey.MSRC_SEVERITY, ["Critical", "Important"]),
]


class CompletePatchingStack(Stack):
    """Tiers from presets, baselines per OS and tier, output to S3 and CloudWatch, notifications.

    * development (AWS's Amazon Linux 2023 default baseline), test (approve after 3 days) and
      production (approve after 7 days; Windows too), so a patch reaches production only after
      it soaked in test;
    * every task writes its output to a protected bucket and a log group created by the
      library, and failures, time-outs and cancellations are published to an encrypted topic;
    * ``ManagedInstanceRole`` is the instance profile the patched instances use.
    """

    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        role = MaintenanceWindowRole(self, "PatchingRole")
        output = [TaskOutput.s3(key_prefix="patching/"), TaskOutput.cloud_watch()]
        notifications = TaskNotifications()

        AwsManagedBaseline(self, "DevelopmentBaseline", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                           patch_groups=["dev-fleet"])
        for tier, group in ((EnvironmentSchedule.TEST, "test-fleet"), (EnvironmentSchedule.PRODUCTION, "prod-fleet")):
            PatchBaseline(
                self, f"{tier.name.title()}LinuxBaseline", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                approval_rules=[ApprovalRule.for_environment(tier, filters=LINUX_SECURITY,
                                                             compliance_level=ComplianceLevel.HIGH)],
                patch_groups=[group], description=f"Amazon Linux 2023 security updates for {tier.name}",
            )
        PatchBaseline(
            self, "ProductionWindowsBaseline", operating_system=OperatingSystem.WINDOWS,
            approval_rules=[ApprovalRule.for_environment(EnvironmentSchedule.PRODUCTION, filters=WINDOWS_SECURITY,
                                                         compliance_level=ComplianceLevel.CRITICAL)],
            patch_groups=["prod-fleet"], description="Windows security updates for production",
        )

        tasks = []
        for tier, groups in ((EnvironmentSchedule.DEVELOPMENT, ["dev-fleet"]), (EnvironmentSchedule.TEST, ["test-fleet"]),
                             (EnvironmentSchedule.PRODUCTION, ["prod-fleet"])):
            name = tier.name.title()
            window = PatchingWindow.for_environment(self, f"{name}Window", environment=tier, time_zone=TIME_ZONE, role=role)
            target = PatchGroupTarget(self, f"{name}Servers", window=window, patch_group=groups)
            tasks.append(RunPatchBaselineTask(
                self, f"{name}Install", window=window, targets=[target], operation=PatchOperation.INSTALL,
                reboot_option=RebootOption.REBOOT_IF_NEEDED, max_concurrency="25%", max_errors="1",
                cutoff_behavior=CutoffBehavior.CANCEL_TASK, timeout=Duration.minutes(30),
                output=output, notifications=notifications,
            ))
        ManagedInstanceRole(self, "PatchedInstances", tasks=tasks)

        # Know what happened: every window of this stack reports failures, time-outs, cancellations
        # and skipped runs to one encrypted topic; AWS Config checks patch compliance (Config must
        # already be recording here) and compliance data is synced to S3 for reporting.
        alerts = PatchingAlerts(self, "Alerts", alarm=True)
        PatchCompliance(self, "Compliance", tag_key="Patch Group", alert_topic=alerts.topic)


class RunbookStack(Stack):
    """One Sunday-night window that runs the enterprise sequence, in order:

    1. pre-check (a Lambda function per instance), 2. stop the application (shell),
    3. image backup (AWS-CreateImage of each instance, without reboot), 4. patch (install,
    reboot if needed), 5. start the application, 6. health check of the fleet (a Step Functions
    state machine, once per run). The :class:`Runbook` numbers the priorities 1-6.

    The window is deployed disabled (``enabled=False``): an approval gate, enabled once the change
    is approved by redeploying with ``enabled=True``.
    """

    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        window = PatchingWindow(
            self, "AppWindow",
            schedule=WindowSchedule.expression("cron(0 1 ? * SUN *)", time_zone=TIME_ZONE),
            duration=Duration.hours(4), cutoff=Duration.hours(1),
            description="Application servers: checked, backed up, patched and restarted in order",
            enabled=False,  # an approval gate: deployed disabled, enabled once the change is approved
        )
        servers = PatchGroupTarget(self, "AppServers", window=window, patch_group="app-servers")
        each = dict(window=window, targets=[servers], max_concurrency="25%", max_errors="1")

        def shell(id: str, command: str) -> RunCommandTask:
            return RunCommandTask(self, id, document="AWS-RunShellScript", parameters={"commands": [command]},
                                  timeout=Duration.minutes(10), **each)

        Runbook(
            LambdaTask(self, "PreCheck", function=_example_function(self, "PreCheckFunction"),
                       payload={"instance": PseudoParameter.RESOURCE_ID, "run": PseudoParameter.WINDOW_EXECUTION_ID},
                       **each),
            shell("StopServices", "systemctl stop app.service"),
            AutomationTask(self, "ImageBackup", document="AWS-CreateImage",
                           parameters={"InstanceId": PseudoParameter.RESOURCE_ID, "NoReboot": "true"}, **each),
            RunPatchBaselineTask(self, "Patch", operation=PatchOperation.INSTALL,
                                 reboot_option=RebootOption.REBOOT_IF_NEEDED, cutoff_behavior=CutoffBehavior.CANCEL_TASK,
                                 timeout=Duration.minutes(30), **each),
            shell("StartServices", "systemctl start app.service"),
            StepFunctionsTask(self, "HealthCheck", window=window, state_machine=_example_state_machine(self),
                              input={"window": PseudoParameter.WINDOW_ID, "run": PseudoParameter.WINDOW_EXECUTION_ID},
                              execution_name=f"health-{PseudoParameter.WINDOW_EXECUTION_ID}"),
        )


def _example_function(scope: Construct, id: str) -> lambda_.Function:
    """A stand-in pre-check function (yours would look at the instance before it is touched)."""
    log_group = logs.LogGroup(scope, f"{id}Logs", retention=logs.RetentionDays.ONE_YEAR, removal_policy=RemovalPolicy.DESTROY)
    function = lambda_.Function(
        scope, id, runtime=lambda_.Runtime.PYTHON_3_14, handler="index.handler", reserved_concurrent_executions=5,
        code=lambda_.Code.from_inline("def handler(event, context):\n    return {'ok': True, 'instance': event['instance']}"),
        log_group=log_group,
    )
    _drop_redundant_depends_on(function)
    _acknowledge_example(function, log_group, "the stand-in pre-check function")
    return function


def _example_state_machine(scope: Construct) -> sfn.StateMachine:
    """A stand-in health check (yours would probe the application)."""
    log_group = logs.LogGroup(scope, "HealthCheckLogs", retention=logs.RetentionDays.ONE_YEAR,
                              removal_policy=RemovalPolicy.DESTROY)
    machine = sfn.StateMachine(
        scope, "HealthCheckMachine", tracing_enabled=True,
        definition_body=sfn.DefinitionBody.from_chainable(sfn.Succeed(scope, "Healthy")),
        logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL),
    )
    _drop_redundant_depends_on(machine)
    _acknowledge_example(machine, log_group, "the stand-in health check state machine")
    return machine


def _drop_redundant_depends_on(construct: Construct) -> None:
    """aws-cdk-lib makes a Function / StateMachine depend on its role, which the GetAtt of the
    role's ARN already does (cfn-lint W3005); keep the dependency on the role's policy only."""
    resource = construct.node.default_child
    assert isinstance(resource, CfnResource)
    role = construct.node.try_find_child("ServiceRole") or construct.node.try_find_child("Role")
    assert role is not None
    resource.add_deletion_override("DependsOn")
    policy = role.node.try_find_child("DefaultPolicy")
    if policy is not None:
        resource.add_resource_dependency(policy.node.default_child)


def _acknowledge_example(construct: Construct, log_group: logs.LogGroup, what: str) -> None:
    for finding, reason in (
        ("AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
         "the AWS basic execution role lets the function write its own log group, nothing else"),
        ("AwsSolutions-IAM5[Resource::*]", "X-Ray and CloudWatch Logs delivery actions take no resource-level permission"),
    ):
        Validations.of(construct).acknowledge(Acknowledgment(id=finding.split("-", 1)[0] + "::" + finding,
                                                             reason=f"{what}: {reason}"))
    for pack in ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"):
        for rule, reason in (
            ("LambdaDLQ", "SSM invokes it synchronously and records a failed invocation itself; nothing to queue"),
            ("LambdaInsideVPC", "it reaches no VPC resource"),
            ("IAMNoInlinePolicy", "aws-cdk-lib writes the role's log and tracing permissions as its default policy"),
        ):
            Validations.of(construct).acknowledge(Acknowledgment(id=f"{pack}::{pack}-{rule}", reason=f"{what}: {reason}"))
        Validations.of(log_group).acknowledge(Acknowledgment(
            id=f"{pack}::{pack}-CloudWatchLogGroupEncrypted",
            reason=f"{what}: CloudWatch Logs encrypts every log group at rest with its own keys"))


def build(app: App) -> None:
    """Add the example stacks to ``app``."""
    PatchingStack(app, "PatchingExample")
    CompletePatchingStack(app, "PatchingComplete")
    RunbookStack(app, "PatchingRunbook")


if __name__ == "__main__":
    app = App()
    build(app)
    app.synth()
