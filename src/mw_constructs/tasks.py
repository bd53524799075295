"""Run Command tasks: ``RunCommandTask`` and ``RunPatchBaselineTask``
(``AWS::SSM::MaintenanceWindowTask`` of type ``RUN_COMMAND``).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html
and https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaseline.html
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from ._durations import whole_seconds
from ._pseudo import arn_in_this_environment
from ._tokens import is_token
from ._validate import (
    check_int_range,
    check_name,
    check_no_control_characters,
    check_pattern,
    check_text,
    check_type,
    fail,
    is_int,
    quote,
)
from .outputs import TaskNotifications, TaskOutput
from .role import _RoleBase
from .targets import WindowTarget, check_instance_ids
from .window import _WindowBase

__all__ = [
    "CutoffBehavior",
    "Document",
    "MaxConcurrency",
    "MaxErrors",
    "PatchOperation",
    "RebootOption",
    "RunCommandTask",
    "RunPatchBaselineTask",
    "PatchHooks",
]

# [API] RegisterTaskWithMaintenanceWindow: MaxConcurrency / MaxErrors, 1-7 characters.
# The API allows 1-7 characters: the lookahead caps the length.
_MAX_CONCURRENCY = re.compile(r"(?=.{1,7}$)(?:[1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)")
_MAX_ERRORS = re.compile(r"(?=.{1,7}$)(?:[1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)")
_SNAPSHOT_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_OVERRIDE_URL = re.compile(r"(?=.{1,256}$)(?:https://.+|s3://[^/]+/.*[^/])")
_DOCUMENT_VERSION = re.compile(r"\$LATEST|\$DEFAULT|[1-9][0-9]*")
_DOCUMENT = re.compile(r"[a-zA-Z0-9_\-.:/]{3,128}|arn:.{1,1596}")  # a name, or an ARN (TaskArn: 1-1600)
_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
_AWS_OWNED_PREFIXES = ("aws", "amazon", "amzn")  # reserved: customers cannot create such documents
_FORBIDDEN_PSEUDO_PARAMETERS = ("{{TARGET_ID}}", "{{RESOURCE_ID}}")  # not supported by Run Command tasks
TIMEOUT_RANGE_SECONDS = (30, 2_592_000)  # [API] MaintenanceWindowRunCommandParameters.TimeoutSeconds


class PatchOperation(enum.Enum):
    """``Operation`` of AWS-RunPatchBaseline."""

    SCAN = "Scan"  #: report missing patches; never installs, never reboots
    INSTALL = "Install"  #: install approved missing patches


class RebootOption(enum.Enum):
    """``RebootOption`` of AWS-RunPatchBaseline (there is no plain "Reboot")."""

    REBOOT_IF_NEEDED = "RebootIfNeeded"  #: reboot when patches were installed or are pending a reboot
    NO_REBOOT = "NoReboot"  #: never reboot; nodes stay non-compliant until rebooted and rescanned


class CutoffBehavior(enum.Enum):
    """What running tasks do when the window's cutoff is reached."""

    CONTINUE_TASK = "CONTINUE_TASK"  #: SSM's default: running tasks continue
    CANCEL_TASK = "CANCEL_TASK"  #: SSM sends CancelCommand to running commands


class Document:
    """An SSM Command document, by name or ARN. ``Document.of("Custom-Doc")`` for your own."""

    def __init__(self, name: str) -> None:
        check_pattern(
            "" if name is None else name, _DOCUMENT, "InvalidDocument",
            f"document must be an SSM document name (3-128 of letters, digits, '_-.:/') or ARN: got {quote(name)}.",
        )
        self.name = name

    @staticmethod
    def of(name: str) -> "Document":
        """A document by name (``"AWS-RunShellScript"``, ``"My-Doc"``) or ARN."""
        return Document(name)

    @property
    def is_aws_owned(self) -> bool:
        """True for AWS's documents (names starting with AWS, Amazon or amzn)."""
        return not is_token(self.name) and self.name.lower().startswith(_AWS_OWNED_PREFIXES)

    def arn(self) -> str:
        """The ARN IAM policies use: AWS-owned documents have no account in their ARN."""
        if is_token(self.name) or self.name.startswith("arn:"):
            return self.name
        return arn_in_this_environment("ssm", f"document/{self.name}", with_account=not self.is_aws_owned)

    def __repr__(self) -> str:
        return f"Document.of({self.name!r})"


Document.RUN_PATCH_BASELINE = Document("AWS-RunPatchBaseline")  # type: ignore[attr-defined]
Document.RUN_PATCH_BASELINE_WITH_HOOKS = Document("AWS-RunPatchBaselineWithHooks")  # type: ignore[attr-defined]
Document.RUN_SHELL_SCRIPT = Document("AWS-RunShellScript")  # type: ignore[attr-defined]
Document.RUN_POWERSHELL_SCRIPT = Document("AWS-RunPowerShellScript")  # type: ignore[attr-defined]


class _RateControl:
    _pattern: re.Pattern
    _argument: str
    _minimum: int

    def __init__(self, value: str) -> None:
        if is_token(value):
            self.value = value
            return
        check_pattern(
            "" if value is None else value, self._pattern, f"Invalid{type(self).__name__}",
            f"{self._argument} must be a count ({self._minimum} or more, up to 7 characters) or a "
            f"percentage ({self._minimum}%-100%) such as '10%': got {quote(value)}.",
        )
        self.value = value

    @classmethod
    def count(cls, n: int):
        """At most ``n`` targets (a whole number)."""
        check_int_range(f"{cls.__name__}.count", n, cls._minimum, 9_999_999, f"Invalid{cls.__name__}")
        return cls(str(n))

    @classmethod
    def percent(cls, p: int):
        """At most ``p`` percent of the targets (a whole number)."""
        check_int_range(f"{cls.__name__}.percent", p, cls._minimum, 100, f"Invalid{cls.__name__}", "%")
        return cls(f"{p}%")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


class MaxConcurrency(_RateControl):
    """How many targets a task runs on at once: ``MaxConcurrency.count(5)`` or ``.percent(10)``."""

    _pattern = _MAX_CONCURRENCY
    _argument = "max_concurrency"
    _minimum = 1


class MaxErrors(_RateControl):
    """How many failed targets stop a task: ``MaxErrors.count(0)`` stops after the first
    error; ``.percent(10)`` after 10% of the targets failed."""

    _pattern = _MAX_ERRORS
    _argument = "max_errors"
    _minimum = 0


RateControlValue = Union[str, int, _RateControl]


class RunCommandTask(Construct):
    """A Run Command task of a window: runs ``document`` on the window's targets.

    Args:
        window: the window the task belongs to.
        document: a :class:`Document` or a document name.
        parameters: document parameters, ``{name: value or [values]}``.
        targets: registered :class:`WindowTarget` s of the same window (``WindowTargetIds``).
        instance_ids: instance IDs, only if the window has ``allow_unassociated_targets=True``.
        priority: 0 or more; lower runs first, equal priorities run in parallel (default 1).
        max_concurrency, max_errors: required; AWS strings (``"10%"``, ``"1"``, ``"0"`` for
            errors), whole numbers, or :class:`MaxConcurrency` / :class:`MaxErrors`.
        cutoff_behavior: :class:`CutoffBehavior` (SSM's default: ``CONTINUE_TASK``).
        role: the :class:`MaintenanceWindowRole` to run as (default: ``window.role``).
        name, description: 3-128 of ``a-zA-Z0-9_-.``; 1-128 characters.
        timeout: Run Command delivery timeout, 30 seconds to 30 days (a ``Duration``).
        output_s3_bucket, output_s3_key_prefix: where instances write command output
            (an ``s3.IBucket`` or a bucket name; prefix up to 500 characters).
        comment: up to 100 characters.
        document_version: ``"$LATEST"``, ``"$DEFAULT"`` or a version number (default: SSM's default).
        output: a :class:`TaskOutput` (S3 or CloudWatch Logs), or one of each in a list; the
            library creates a protected bucket / log group when you give none.
        notifications: :class:`TaskNotifications`: SNS topic, notification role and the window
            role's ``iam:PassRole`` on it, wired automatically.

    Attributes:
        task_id: the window task ID (a token). ``node.default_child`` is the L1.
        timeout_seconds: the Run Command timeout in seconds, or None.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        window: _WindowBase,
        document: Union[Document, str],
        parameters: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
        targets: Optional[Sequence[WindowTarget]] = None,
        instance_ids: Optional[Sequence[str]] = None,
        priority: int = 1,
        max_concurrency: Optional[RateControlValue] = None,
        max_errors: Optional[RateControlValue] = None,
        cutoff_behavior: Optional[CutoffBehavior] = None,
        role: Optional[_RoleBase] = None,
        name: Optional[str] = None,
        description: Optional[str] = None,
        timeout: Any = None,
        output_s3_bucket: Any = None,
        output_s3_key_prefix: Optional[str] = None,
        comment: Optional[str] = None,
        document_version: Union[str, int, None] = None,
        output: Union[TaskOutput, Sequence[TaskOutput], None] = None,
        notifications: Optional[TaskNotifications] = None,
    ) -> None:
        check_type("window", window, _WindowBase, "a PatchingWindow (or PatchingWindow.from_window_id(...))")
        document = document if isinstance(document, Document) else Document.of(document)
        version = _document_version(document_version)
        outputs = _outputs(output, output_s3_bucket)
        if notifications is not None:
            check_type("notifications", notifications, TaskNotifications, "TaskNotifications(...)")
        task_targets = _task_targets(window, targets, instance_ids)
        concurrency, errors = _rate_control(max_concurrency, max_errors)
        check_int_range("priority", priority, 0, None, "InvalidPriority")
        if cutoff_behavior is not None:
            check_type("cutoff_behavior", cutoff_behavior, CutoffBehavior, "a CutoffBehavior, e.g. CutoffBehavior.CANCEL_TASK")
        if role is not None:
            check_type("role", role, _RoleBase, "a MaintenanceWindowRole")
        check_name("name", name)
        check_text("description", description, 1, 128, "InvalidDescription")
        check_text("comment", comment, 0, 100, "InvalidComment")
        timeout_seconds = whole_seconds("timeout", timeout, *TIMEOUT_RANGE_SECONDS, "InvalidTimeout")
        _check_output_bucket(output_s3_bucket, output_s3_key_prefix)
        document_parameters = _parameters(parameters)
        super().__init__(scope, id)

        self.window = window
        self.document = document
        self.timeout_seconds = timeout_seconds
        self._label = id
        window._tasks.append(self)
        self.role = role if role is not None else window.role
        self.role._allow_send_command(document)
        if output_s3_bucket is not None:  # the plain arguments are a TaskOutput.s3 too
            bucket = (s3.Bucket.from_bucket_name(self, "OutputBucket", output_s3_bucket)
                      if isinstance(output_s3_bucket, str) else output_s3_bucket)
            outputs.append(TaskOutput.s3(bucket, key_prefix=output_s3_key_prefix))
        self.outputs = tuple(outputs)
        self._output_targets = [(out, *out._bind(self)) for out in outputs]
        bucket_name, key_prefix, log_group = self._output_destinations()
        notification_config, notification_role_arn = self._notifications(notifications)
        self._resource = ssm.CfnMaintenanceWindowTask(
            self,
            "Resource",
            window_id=window.window_id,
            task_type="RUN_COMMAND",
            task_arn=document.name,
            priority=priority,
            targets=task_targets,
            max_concurrency=concurrency,
            max_errors=errors,
            service_role_arn=self.role.role_arn,
            cutoff_behavior=cutoff_behavior.value if cutoff_behavior else None,
            name=name,
            description=description,
            task_invocation_parameters=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
                maintenance_window_run_command_parameters=ssm.CfnMaintenanceWindowTask.MaintenanceWindowRunCommandParametersProperty(
                    parameters=document_parameters,
                    timeout_seconds=timeout_seconds,
                    output_s3_bucket_name=bucket_name,
                    output_s3_key_prefix=key_prefix,
                    cloud_watch_output_config=ssm.CfnMaintenanceWindowTask.CloudWatchOutputConfigProperty(
                        cloud_watch_log_group_name=log_group.log_group_name, cloud_watch_output_enabled=True,
                    ) if log_group is not None else None,
                    notification_config=notification_config,
                    service_role_arn=notification_role_arn,
                    document_version=version,
                    comment=comment,
                )
            ),
        )
        self._task_id: Optional[str] = None

    @property
    def task_id(self) -> str:
        """The window task ID (a token), read from the L1 on first use."""
        if self._task_id is None:
            self._task_id = self._resource.ref
        return self._task_id

    def grant_output_write(self, grantee: iam.IGrantable) -> Optional[iam.Grant]:
        """Let ``grantee`` (the *instances'* role: they write the output, not SSM) write this
        task's output (see :meth:`output_write_statements`). None without outputs."""
        grant: Optional[iam.Grant] = None
        for statement in self.output_write_statements():
            step = iam.Grant.add_to_principal(grantee=grantee, actions=statement.actions, resource_arns=statement.resources)
            grant = step if grant is None else grant.combine(step)
        return grant

    def output_write_statements(self) -> List[iam.PolicyStatement]:
        """The statements the instances need to write this task's output:
        ``s3:PutObject``/``PutObjectAcl`` under the key prefix and
        ``s3:GetEncryptionConfiguration`` on the bucket; ``logs:CreateLogStream``,
        ``PutLogEvents`` and ``DescribeLogStreams`` on the log group, and
        ``logs:DescribeLogGroups`` (which takes no resource)."""
        return [
            iam.PolicyStatement(actions=actions, resources=resources)
            for out, bucket, log_group in self._output_targets
            for actions, resources in _output_permissions(out, bucket, log_group)
        ]

    def _output_destinations(self) -> tuple:
        """(bucket name, key prefix, log group) of this task's outputs (None where absent)."""
        s3_output = next(((bucket, out.key_prefix) for out, bucket, _ in self._output_targets if bucket is not None), None)
        log_group = next((group for _, _, group in self._output_targets if group is not None), None)
        if s3_output is None:
            return None, None, log_group
        return s3_output[0].bucket_name, s3_output[1], log_group

    def _notifications(self, notifications: Optional[TaskNotifications]) -> tuple:
        if notifications is None:
            return None, None
        topic, notification_role = notifications._bind(self)
        self.role._allow_pass_role(notification_role.role_arn, self)
        config = ssm.CfnMaintenanceWindowTask.NotificationConfigProperty(
            notification_arn=topic.topic_arn,
            notification_events=[event.value for event in notifications.events],
            notification_type=notifications.per.value,
        )
        self.notification_topic = topic
        self.notification_role = notification_role
        return config, notification_role.role_arn


@dataclass(frozen=True)
class PatchHooks:
    """SSM documents ``AWS-RunPatchBaselineWithHooks`` runs around an install: before it
    (``pre_install``), after it (``post_install``) and after the reboot (``on_exit``). Each
    defaults to ``AWS-Noop``; give at least one. Needs SSM Agent 3.0.502 or later."""

    pre_install: Optional[Document] = None
    post_install: Optional[Document] = None
    on_exit: Optional[Document] = None

    def __init__(
        self,
        *,
        pre_install: Union[Document, str, None] = None,
        post_install: Union[Document, str, None] = None,
        on_exit: Union[Document, str, None] = None,
    ) -> None:
        if pre_install is None and post_install is None and on_exit is None:
            fail("InvalidHooks", "PatchHooks needs at least one of pre_install, post_install, on_exit.")
        for name, hook in (("pre_install", pre_install), ("post_install", post_install), ("on_exit", on_exit)):
            object.__setattr__(self, name, None if hook is None else hook if isinstance(hook, Document) else Document.of(hook))

    def parameters(self) -> Dict[str, List[str]]:
        """The hook parameters of AWS-RunPatchBaselineWithHooks."""
        named = (("PreInstallHookDocName", self.pre_install), ("PostInstallHookDocName", self.post_install),
                 ("OnExitHookDocName", self.on_exit))
        return {key: [hook.name] for key, hook in named if hook is not None}


class RunPatchBaselineTask(RunCommandTask):
    """Patch the targets with ``AWS-RunPatchBaseline``.

    ``operation`` is :class:`PatchOperation` ``SCAN`` or ``INSTALL``. ``reboot_option``
    (:class:`RebootOption`) applies to ``INSTALL`` only and defaults to
    ``REBOOT_IF_NEEDED``, AWS's default; giving one with ``SCAN`` is an error because a
    scan never reboots. Also:

    * ``snapshot_id``: a GUID. Inside a maintenance window leave it out: SSM derives one from
      the window execution ID (giving one earns a warning).
    * ``install_override_list``: ``https://`` or ``s3://`` URL of a YAML patch list to install
      instead of the baseline's choice (INSTALL only).
    * ``baseline_override``: ``https://`` or ``s3://`` URL of a JSON baseline to use instead.
    * ``hooks``: :class:`PatchHooks` run ``AWS-RunPatchBaselineWithHooks`` instead, with your
      documents around the install (INSTALL only; that document takes neither
      ``install_override_list`` nor ``baseline_override``).

    Every other argument is as in :class:`RunCommandTask`.

    Attributes:
        operation, reboot_option: the values used (``reboot_option`` is None for scans).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        window: _WindowBase,
        operation: PatchOperation,
        reboot_option: Optional[RebootOption] = None,
        snapshot_id: Optional[str] = None,
        install_override_list: Optional[str] = None,
        baseline_override: Optional[str] = None,
        hooks: Optional[PatchHooks] = None,
        targets: Optional[Sequence[WindowTarget]] = None,
        instance_ids: Optional[Sequence[str]] = None,
        priority: int = 1,
        max_concurrency: Optional[RateControlValue] = None,
        max_errors: Optional[RateControlValue] = None,
        cutoff_behavior: Optional[CutoffBehavior] = None,
        role: Optional[_RoleBase] = None,
        name: Optional[str] = None,
        description: Optional[str] = None,
        timeout: Any = None,
        output_s3_bucket: Any = None,
        output_s3_key_prefix: Optional[str] = None,
        comment: Optional[str] = None,
        document_version: Union[str, int, None] = None,
        output: Union[TaskOutput, Sequence[TaskOutput], None] = None,
        notifications: Optional[TaskNotifications] = None,
    ) -> None:
        parameters = self._patch_parameters(operation, reboot_option, snapshot_id, install_override_list, baseline_override)
        if hooks is not None:
            check_type("hooks", hooks, PatchHooks, "PatchHooks(pre_install=..., post_install=..., on_exit=...)")
            if self.operation is PatchOperation.SCAN:
                fail("InstallOptionWithScan", "hooks run around an install: with operation=SCAN they never run. Drop them, or use INSTALL.")
            if install_override_list is not None or baseline_override is not None:
                fail("InvalidHooks", "AWS-RunPatchBaselineWithHooks takes neither install_override_list nor baseline_override: "
                                     "drop them, or drop hooks.")
            parameters.update(hooks.parameters())
        self.hooks = hooks
        document = Document.RUN_PATCH_BASELINE if hooks is None else Document.RUN_PATCH_BASELINE_WITH_HOOKS
        super().__init__(
            scope, id, window=window, document=document, parameters=parameters, targets=targets,
            instance_ids=instance_ids, priority=priority, max_concurrency=max_concurrency, max_errors=max_errors,
            cutoff_behavior=cutoff_behavior, role=role, name=name, description=description, timeout=timeout,
            output_s3_bucket=output_s3_bucket, output_s3_key_prefix=output_s3_key_prefix, comment=comment,
            document_version=document_version, output=output, notifications=notifications,
        )
        if snapshot_id is not None:
            from aws_cdk import Annotations

            Annotations.of(self).add_warning_v2(
                "mw-constructs:SnapshotIdInWindow",
                "snapshot_id is set, but inside a maintenance window SSM derives the snapshot ID from the window "
                "execution ID; a fixed one makes every run reuse the same baseline snapshot. Leave it out.",
            )

    def _patch_parameters(
        self, operation: Any, reboot_option: Any, snapshot_id: Any, install_override_list: Any, baseline_override: Any
    ) -> Dict[str, List[str]]:
        operation = _enum_member("operation", operation, PatchOperation)
        if reboot_option is not None:
            reboot_option = _enum_member("reboot_option", reboot_option, RebootOption)
        if operation is PatchOperation.SCAN and reboot_option is not None:
            fail(
                "RebootOptionWithScan",
                f"reboot_option={reboot_option.name} has no effect with operation=SCAN: a scan never "
                f"installs or reboots. Drop reboot_option, or use operation=PatchOperation.INSTALL.",
            )
        if operation is PatchOperation.SCAN and install_override_list is not None:
            fail("InstallOptionWithScan", "install_override_list is ignored by operation=SCAN: drop it, or use INSTALL.")
        if operation is PatchOperation.INSTALL and reboot_option is None:
            reboot_option = RebootOption.REBOOT_IF_NEEDED
        check_pattern(snapshot_id, _SNAPSHOT_ID, "InvalidSnapshotId",
                      f"snapshot_id must be a GUID such as 12345678-1234-1234-1234-123456789012: got {quote(snapshot_id)}.")
        for argument, url in (("install_override_list", install_override_list), ("baseline_override", baseline_override)):
            check_pattern(url, _OVERRIDE_URL, "InvalidOverrideUrl",
                          f"{argument} must be an https:// URL or an s3://bucket/key path of up to 256 characters: got {quote(url)}.")
        self.operation = operation
        self.reboot_option = reboot_option
        parameters: Dict[str, List[str]] = {"Operation": [operation.value]}
        for key, value in (("RebootOption", reboot_option.value if reboot_option else None), ("SnapshotId", snapshot_id),
                           ("InstallOverrideList", install_override_list), ("BaselineOverride", baseline_override)):
            if value is not None:
                parameters[key] = [value]
        return parameters


# ---------------------------------------------------------------------- helpers


def _enum_member(argument: str, value: Any, enum_type: type) -> Any:
    if isinstance(value, enum_type):
        return value
    for member in enum_type:
        if value == member.value:
            return member
    allowed = ", ".join(f"{enum_type.__name__}.{m.name} ({m.value!r})" for m in enum_type)
    fail(f"Invalid{enum_type.__name__}", f"{argument} must be one of {allowed}: got {quote(value)}.")


def _task_targets(window: _WindowBase, targets: Optional[Sequence[WindowTarget]], instance_ids: Optional[Sequence[str]]) -> list:
    if targets is None and instance_ids is None:
        fail(
            "TaskWithoutTargets",
            "a Run Command task needs targets: pass targets=[...] (WindowTargets of the same window), or "
            "instance_ids=[...] on a window with allow_unassociated_targets=True.",
        )
    if targets is not None and instance_ids is not None:
        fail(
            "TaskTargetsConflict",
            "give targets or instance_ids, not both: register the instances as a WindowTarget and list it in targets.",
        )
    if instance_ids is not None:
        if not window.allow_unassociated_targets:
            fail(
                "UnassociatedTargetsNotAllowed",
                f"instance_ids={quote(list(instance_ids) if isinstance(instance_ids, (list, tuple)) else instance_ids)} "
                f"needs a window created with allow_unassociated_targets=True; otherwise register the "
                f"instances with WindowTarget(instance_ids=...) and pass targets=[...].",
            )
        ids = check_instance_ids("instance_ids", instance_ids)
        return [ssm.CfnMaintenanceWindowTask.TargetProperty(key="InstanceIds", values=ids)]
    if isinstance(targets, WindowTarget) or not isinstance(targets, Sequence) or not targets:
        fail("InvalidType", f"targets must be a non-empty list of WindowTarget: got {quote(targets)}.")
    for target in targets:
        check_type("targets entry", target, WindowTarget, "a WindowTarget or PatchGroupTarget")
        if target.window is not window:
            fail(
                "TargetOfOtherWindow",
                f"target {quote(target.node.id)} is registered with another window: a task can only use "
                f"targets of its own window. Register a target with this window too.",
            )
    if len(set(map(id, targets))) != len(targets):
        fail("DuplicateValue", "targets lists the same WindowTarget twice: list each target once.")
    return [ssm.CfnMaintenanceWindowTask.TargetProperty(key="WindowTargetIds", values=[t.target_id for t in targets])]


def _rate_control(max_concurrency: Any, max_errors: Any) -> tuple:
    missing = [name for name, value in (("max_concurrency", max_concurrency), ("max_errors", max_errors)) if value is None]
    if missing:
        fail(
            "RateControlRequired",
            f"{' and '.join(missing)} must be set for a task with targets (SSM requires both), e.g. "
            f"max_concurrency='10%', max_errors='1'.",
        )
    return _rate_value(max_concurrency, MaxConcurrency), _rate_value(max_errors, MaxErrors)


def _rate_value(value: Any, kind: type) -> str:
    if isinstance(value, kind):
        return value.value
    if is_int(value):
        return kind.count(value).value
    if isinstance(value, _RateControl):  # MaxErrors given for max_concurrency, or the reverse
        fail(f"Invalid{kind.__name__}", f"{kind._argument} must be a {kind.__name__} value: got {value!r}.")
    return kind(value).value


def _check_output_bucket(bucket: Any, prefix: Optional[str]) -> None:
    check_text("output_s3_key_prefix", prefix, 1, 500, "InvalidS3KeyPrefix")
    if bucket is None:
        if prefix is not None:
            fail("InvalidS3KeyPrefix", "output_s3_key_prefix needs output_s3_bucket: give the bucket too.")
        return
    if isinstance(bucket, str):
        check_pattern(
            bucket, _BUCKET_NAME, "InvalidS3Bucket",
            f"output_s3_bucket {quote(bucket)} is not a valid bucket name: 3-63 lower-case letters, digits, '.' or '-'.",
        )
    elif not hasattr(bucket, "bucket_name"):
        fail("InvalidType", f"output_s3_bucket must be an s3.IBucket or a bucket name: got {quote(bucket)}.")


def _parameters(parameters: Optional[Mapping[str, Any]]) -> Optional[Dict[str, List[str]]]:
    if parameters is None:
        return None
    if not isinstance(parameters, Mapping):
        fail("InvalidType", f"parameters must be a dict of parameter name to value(s): got {quote(parameters)}.")
    result = {}
    for key, raw in parameters.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 255:
            fail("InvalidParameters", f"parameters key {quote(key)} must be a string of 1-255 characters.")
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
            fail("InvalidParameters", f"parameters[{key!r}] must be a string or a list of strings: got {quote(raw)}.")
        for value in values:
            check_no_control_characters(f"parameters[{key!r}]", value, "InvalidParameters")
            for pseudo in _FORBIDDEN_PSEUDO_PARAMETERS:
                if pseudo in value:
                    fail(
                        "InvalidParameters",
                        f"parameters[{key!r}] uses {pseudo}, which Run Command tasks do not support. Use "
                        f"{{{{WINDOW_TARGET_ID}}}} or let the document read the instance ID on the node.",
                    )
        result[key] = list(values)
    return result


def _document_version(version: Any) -> Optional[str]:
    if version is None or is_token(version):
        return version
    text = str(version) if is_int(version) else version
    check_pattern(
        "" if text is None else text, _DOCUMENT_VERSION, "InvalidDocumentVersion",
        f"document_version must be '$LATEST', '$DEFAULT' or a version number from 1: got {quote(version)}.",
    )
    return text


def _outputs(output: Any, output_s3_bucket: Any) -> List[TaskOutput]:
    if output is None:
        return []
    outputs = [output] if isinstance(output, TaskOutput) else output
    if not isinstance(outputs, Sequence) or not all(isinstance(o, TaskOutput) for o in outputs):
        fail("InvalidType", f"output must be a TaskOutput or a list of them: got {quote(output)}.")
    kinds = [o.kind for o in outputs]
    if len(set(kinds)) != len(kinds):
        fail("OutputConflict", "output lists two outputs of one kind: give at most one S3 and one CloudWatch output.")
    if "s3" in kinds and output_s3_bucket is not None:
        fail("OutputConflict", "give output=TaskOutput.s3(...) or output_s3_bucket, not both.")
    return list(outputs)


def _output_permissions(out: TaskOutput, bucket: Any, log_group: Any) -> List[tuple]:
    """(actions, resources) the instances need to write one output."""
    if bucket is not None:
        return [
            (["s3:PutObject", "s3:PutObjectAcl"], [bucket.arn_for_objects(f"{out.key_prefix or ''}*")]),
            (["s3:GetEncryptionConfiguration"], [bucket.bucket_arn]),
        ]
    return [
        (["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], [log_group.log_group_arn]),
        (["logs:DescribeLogGroups"], ["*"]),  # DescribeLogGroups takes no resource-level permission
    ]
