"""Run Command tasks: ``RunCommandTask`` and its patching flavour ``RunPatchBaselineTask``
(``TaskType: RUN_COMMAND``).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/mw-cli-register-tasks-parameters.html
and https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaseline.html
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union

from aws_cdk import Annotations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from constructs import Construct
from typing_extensions import Unpack

from ..schedule.durations import Hours, whole_seconds
from .._internal.arns import arn_in_this_environment
from .._internal.tokens import is_token
from .._internal.validate import UUID, as_argument, check_options, check_pattern, check_text, check_type, fail, quote
from ..documents import PATCHING_DOCUMENTS, Document, DocumentLike, DocumentType, check_document_hash, only_scans
from .._internal.validate import check_warning_id
from ..interfaces import IPatchingWindow, RunCommandOptions
from .outputs import TaskNotifications, TaskOutput
from .pseudo_parameters import TaskKind
from ..iam.grants import Permission, pass_role_permission, target_permissions
from .._internal.task_arguments import parse_document_version, parse_parameters
from .base import TaskBase, TaskSettings
from .._internal.signatures import truthful_signature

__all__ = ["PatchHooks", "PatchOperation", "RebootOption", "RunCommandTask", "RunPatchBaselineTask"]

_OVERRIDE_URL = re.compile(r"(?=.{1,256}$)(?:https://.+|s3://[^/]+/.*[^/])")
_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
#: What S3's bucket naming rules forbid beyond the character class (and aws-cdk-lib checks too).
_BUCKET_NAME_FORBIDDEN = re.compile(r"\.\.|\.-|-\.|^xn--|^sthree-|^amzn-s3-demo-|-s3alias$|--ol-s3$|--x-s3$|\.mrap$")
_IP_ADDRESS = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
#: [API] MaintenanceWindowRunCommandParameters.TimeoutSeconds.
TIMEOUT_RANGE_SECONDS = (30, 2_592_000)

# What the task's role needs: the maintenance-window service role page
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-maintenance-permissions.html), scoped
# per the Service Authorization Reference (which actions take resource-level permissions).
#: Run Command bookkeeping. None of these supports resource-level permissions, so AWS requires
#: Resource "*". CancelCommand makes CutoffBehavior CANCEL_TASK work (the AWS managed policy lacks it).
COMMAND_ACTIONS: Tuple[str, ...] = ("ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations",
                                    "ssm:ListCommands")
#: Scoped to the documents the tasks run, and to instances and managed instances.
SEND_COMMAND_ACTION = "ssm:SendCommand"
# What the *instances* need to write command output (their role, not the window's):
# https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-rc-setting-up.html
S3_OUTPUT_OBJECT_ACTIONS: Tuple[str, ...] = ("s3:PutObject", "s3:PutObjectAcl")
S3_OUTPUT_BUCKET_ACTIONS: Tuple[str, ...] = ("s3:GetEncryptionConfiguration",)
LOGS_OUTPUT_GROUP_ACTIONS: Tuple[str, ...] = ("logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents")
#: DescribeLogGroups takes no resource-level permission.
LOGS_OUTPUT_ACCOUNT_ACTIONS: Tuple[str, ...] = ("logs:DescribeLogGroups",)

E = TypeVar("E", bound=enum.Enum)


class PatchOperation(enum.Enum):
    """``Operation`` of AWS-RunPatchBaseline."""

    SCAN = "Scan"  #: report missing patches; never installs, never reboots
    INSTALL = "Install"  #: install approved missing patches


class RebootOption(enum.Enum):
    """``RebootOption`` of AWS-RunPatchBaseline (there is no plain "Reboot")."""

    REBOOT_IF_NEEDED = "RebootIfNeeded"  #: reboot when patches were installed or are pending a reboot
    NO_REBOOT = "NoReboot"  #: never reboot; nodes stay non-compliant until rebooted and rescanned


@truthful_signature
class RunCommandTask(TaskBase):
    """A Run Command task of a window: runs ``document`` on the window's targets.

    Args:
        window: the window (any ``IPatchingWindow``).
        document: a :class:`Document`, a document name or ARN, or an ``ssm.CfnDocument``. A
            catalogued AWS document (``mw_constructs.documents.CATALOGUE``) must be a Command
            document and gets its parameters checked: names, required ones, allowed values.
        parameters: document parameters, ``{name: value or [values]}``; pseudo parameters
            (:class:`~mw_constructs.PseudoParameter`) except ``TARGET_ID`` and ``RESOURCE_ID``,
            which Run Command does not support.
        **options: :class:`TaskOptions` (targets required) and :class:`RunCommandOptions`.

    The role is allowed ``ssm:SendCommand`` on this document (and what Run Command needs to
    track commands and resolve targets).

    Attributes:
        task_id: the task's ID (a token).
        window: the window it is registered with.
        role: the role it runs as.
        document: the :class:`Document` it runs.
        timeout_seconds: the ``timeout`` in seconds, or None.
        outputs: where its command output goes.

    ``node.default_child`` is the L1.
    """

    def __init__(self, scope: Construct, id: str, *, window: IPatchingWindow, document: DocumentLike,
                 parameters: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
                 **options: Unpack[RunCommandOptions]) -> None:
        check_options(type(self).__name__, options, RunCommandOptions.__annotations__)
        document = Document.of(document)
        document.check_type(DocumentType.COMMAND, type(self).__name__)
        common = TaskSettings.parse(window, options, kind="a Run Command task", task_type=TaskKind.RUN_COMMAND)
        version = parse_document_version(options.get("document_version"))
        output_s3_bucket, output_s3_key_prefix = options.get("output_s3_bucket"), options.get("output_s3_key_prefix")
        outputs = _outputs(options.get("output"), output_s3_bucket)
        notifications = options.get("notifications")
        if notifications is not None:
            check_type("notifications", notifications, TaskNotifications, "TaskNotifications(...)")
        comment = options.get("comment")
        check_text("comment", comment, 0, 100, "InvalidComment")
        timeout_seconds = whole_seconds("timeout", options.get("timeout"), *TIMEOUT_RANGE_SECONDS, code="InvalidTimeout")
        check_output_bucket(output_s3_bucket, output_s3_key_prefix)
        document_parameters = parse_parameters(parameters, common.check_values, key_max=255)
        document.check_parameters(document_parameters or {})
        document_hash, document_hash_type = options.get("document_hash"), options.get("document_hash_type")
        advice = (document.type_advice(DocumentType.COMMAND, type(self).__name__) + document.advice(document_parameters or {})
                  + check_document_hash(document_hash, document_hash_type))
        super().__init__(scope, id, common)
        for found in advice + (notifications.advice if notifications is not None else []):
            Annotations.of(self).add_warning_v2(found.id, found.message)

        self.document = document
        self._only_scans = only_scans(document.name, document_parameters or {})
        operation = (document_parameters or {}).get("Operation") if document.name in PATCHING_DOCUMENTS else None
        #: ``Scan`` or ``Install`` for a patching document (AWS-RunPatchBaseline and its kin), else None.
        self.patch_operation: Optional[str] = operation[0] if operation and not is_token(operation[0]) else None
        self.timeout_seconds: Optional[Hours] = timeout_seconds
        self._grant(_role_permissions(document), f"running {document.name}")
        if output_s3_bucket is not None:  # the plain arguments are a TaskOutput.s3 too
            bucket = (s3.Bucket.from_bucket_name(self, "OutputBucket", output_s3_bucket)
                      if isinstance(output_s3_bucket, str) else output_s3_bucket)
            outputs.append(TaskOutput.s3(bucket, key_prefix=output_s3_key_prefix))
        self.outputs = tuple(outputs)
        self._output_targets = [(out, *out._bind(self)) for out in outputs]
        bucket_name, key_prefix, log_group = self._output_destinations()
        notification_config, notification_role_arn = self._notifications(notifications)
        self._create(
            common, task_arn=document.name,
            invocation=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
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
                    document_hash=document_hash,
                    document_hash_type=document_hash_type.value if document_hash_type else None,
                    comment=comment,
                )
            ),
        )

    @property
    def only_scans(self) -> bool:
        """Whether the task only scans for missing patches (AWS-RunPatchBaseline with ``Operation``
        ``Scan``): it changes nothing on the instances."""
        return self._only_scans

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
            iam.PolicyStatement(actions=list(actions), resources=list(resources))
            for out, bucket, log_group in self._output_targets
            for actions, resources in _output_permissions(out, bucket, log_group)
        ]

    def _output_destinations(self) -> Tuple[Optional[str], Optional[str], Optional[logs.ILogGroup]]:
        """(bucket name, key prefix, log group) of this task's outputs (None where absent)."""
        s3_output = next(((bucket, out.key_prefix) for out, bucket, _ in self._output_targets if bucket is not None), None)
        log_group = next((group for _, _, group in self._output_targets if group is not None), None)
        if s3_output is None:
            return None, None, log_group
        return s3_output[0].bucket_name, s3_output[1], log_group

    def _notifications(self, notifications: Optional[TaskNotifications]) -> Tuple[Any, Optional[str]]:
        if notifications is None:
            return None, None
        topic, notification_role = notifications._bind(self)
        self._grant([pass_role_permission(notification_role.role_arn)], "passing the notification role to SSM")
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
            object.__setattr__(self, name, _hook_document(name, hook))

    def parameters(self) -> Dict[str, List[str]]:
        """The hook parameters of AWS-RunPatchBaselineWithHooks."""
        named = (("PreInstallHookDocName", self.pre_install), ("PostInstallHookDocName", self.post_install),
                 ("OnExitHookDocName", self.on_exit))
        return {key: [hook.name] for key, hook in named if hook is not None}


def _hook_document(argument: str, hook: Union[Document, str, None]) -> Optional[Document]:
    """A hook as a Document; a bad one reported as ``argument`` (``pre_install``, ...)."""
    if hook is None or isinstance(hook, Document):
        return hook
    return as_argument(argument, lambda: Document.of(hook))


@truthful_signature
class RunPatchBaselineTask(RunCommandTask):
    """Patch the targets with ``AWS-RunPatchBaseline``: a :class:`RunCommandTask` whose
    document and parameters come from typed arguments.

    ``operation`` is :class:`PatchOperation` ``SCAN`` or ``INSTALL``. ``reboot_option``
    (:class:`RebootOption`) matters to ``INSTALL`` only; left out, the document's default
    ``RebootIfNeeded`` applies (nothing is written). A scan never reboots: ``NO_REBOOT`` with
    ``SCAN`` is fine, ``REBOOT_IF_NEEDED`` with ``SCAN`` earns a warning
    (``mw-constructs:RebootOptionWithScan``), as do install-only options with ``SCAN``
    (``mw-constructs:InstallOptionWithScan``). Also:

    * ``snapshot_id``: a GUID. Inside a maintenance window leave it out: SSM derives one from
      the window execution ID (giving one earns a warning).
    * ``install_override_list``: ``https://`` or ``s3://`` URL of a YAML patch list to install
      instead of the baseline's choice (used by INSTALL).
    * ``baseline_override``: ``https://`` or ``s3://`` URL of a JSON baseline to use instead.
    * ``hooks``: :class:`PatchHooks` run ``AWS-RunPatchBaselineWithHooks`` instead, with your
      documents around the install (they run with INSTALL; that document takes neither
      ``install_override_list`` nor ``baseline_override``).
    * ``**options``: as for :class:`RunCommandTask`.

    Attributes:
        operation: the value given.
        reboot_option: the value given (None: the document's default, ``RebootIfNeeded``, which
            a scan ignores).
        hooks: the :class:`PatchHooks`, or None.
    """

    def __init__(self, scope: Construct, id: str, *, window: IPatchingWindow, operation: PatchOperation,
                 reboot_option: Optional[RebootOption] = None, snapshot_id: Optional[str] = None,
                 install_override_list: Optional[str] = None, baseline_override: Optional[str] = None,
                 hooks: Optional[PatchHooks] = None, **options: Unpack[RunCommandOptions]) -> None:
        check_options(type(self).__name__, options, RunCommandOptions.__annotations__)
        operation = enum_member("operation", operation, PatchOperation)
        reboot_option = None if reboot_option is None else enum_member("reboot_option", reboot_option, RebootOption)
        parameters = patch_parameters(operation, reboot_option, snapshot_id, install_override_list, baseline_override)
        if hooks is not None:
            check_type("hooks", hooks, PatchHooks, "PatchHooks(pre_install=..., post_install=..., on_exit=...)")
            if install_override_list is not None or baseline_override is not None:
                fail("InvalidHooks", "AWS-RunPatchBaselineWithHooks takes neither install_override_list nor baseline_override: "
                                     "drop them, or drop hooks.")
            parameters.update(hooks.parameters())
        self.operation = operation
        self.reboot_option = reboot_option
        self.hooks = hooks
        document = Document.RUN_PATCH_BASELINE if hooks is None else Document.RUN_PATCH_BASELINE_WITH_HOOKS
        super().__init__(scope, id, window=window, document=document, parameters=parameters, **options)
        if snapshot_id is not None:
            Annotations.of(self).add_warning_v2(
                check_warning_id("mw-constructs:SnapshotIdInWindow"),
                "snapshot_id is set, but inside a maintenance window SSM derives the snapshot ID from the window "
                "execution ID; a fixed one makes every run reuse the same baseline snapshot. Leave it out.",
            )


# ---------------------------------------------------------------------- helpers


def _role_permissions(document: Document) -> Tuple[Permission, ...]:
    """What a role needs to run ``document`` as a Run Command task: track and cancel commands,
    resolve targets, and ``ssm:SendCommand`` on the document and this account's instances."""
    instances = (arn_in_this_environment("ec2", "instance/*"), arn_in_this_environment("ssm", "managed-instance/*"))
    return (
        Permission(COMMAND_ACTIONS, ("*",), sid="TrackAndCancelCommands"),
        *target_permissions(),
        Permission((SEND_COMMAND_ACTION,), (*instances, document.arn()), sid="RunCommandOnInstances",
                   why="ssm:SendCommand must reach every instance the window's targets resolve to at run time "
                       "(tags and resource groups are resolved by SSM, not known at synth time)"),
    )


def patch_parameters(operation: PatchOperation, reboot_option: Optional[RebootOption], snapshot_id: Any,
                      install_override_list: Any, baseline_override: Any) -> Dict[str, List[str]]:
    check_pattern(snapshot_id, UUID, "InvalidSnapshotId",
                  f"snapshot_id must be a GUID such as 12345678-1234-1234-1234-123456789012: got {quote(snapshot_id)}.")
    for argument, url in (("install_override_list", install_override_list), ("baseline_override", baseline_override)):
        check_pattern(url, _OVERRIDE_URL, "InvalidOverrideUrl",
                      f"{argument} must be an https:// URL or an s3://bucket/key path of up to 256 characters: got {quote(url)}.")
    parameters: Dict[str, List[str]] = {"Operation": [operation.value]}
    for key, value in (("RebootOption", reboot_option.value if reboot_option else None), ("SnapshotId", snapshot_id),
                       ("InstallOverrideList", install_override_list), ("BaselineOverride", baseline_override)):
        if value is not None:
            parameters[key] = [value]
    return parameters


def enum_member(argument: str, value: Any, enum_type: Type[E]) -> E:
    if isinstance(value, enum_type):
        return value
    for member in enum_type:
        if value == member.value:
            return member
    allowed = ", ".join(f"{enum_type.__name__}.{m.name} ({m.value!r})" for m in enum_type)
    message = f"{argument} must be one of {allowed}: got {quote(value)}."
    if enum_type is PatchOperation:
        fail("InvalidPatchOperation", message)
    fail("InvalidRebootOption", message)


def check_output_bucket(bucket: Any, prefix: Optional[str]) -> None:
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
        if not is_token(bucket) and (_BUCKET_NAME_FORBIDDEN.search(bucket) or _IP_ADDRESS.fullmatch(bucket)):
            fail("InvalidS3Bucket", f"output_s3_bucket {quote(bucket)} is not a name S3 allows: no '..', '.-' or '-.', "
                                    f"not an IP address, no 'xn--' or 'sthree-' prefix, no '-s3alias' or '--ol-s3' "
                                    f"suffix (S3 bucket naming rules).")
    elif not hasattr(type(bucket), "bucket_name"):
        fail("InvalidType", f"output_s3_bucket must be an s3.IBucket or a bucket name: got {quote(bucket)}.")


def _outputs(output: Any, output_s3_bucket: Any) -> List[TaskOutput]:
    if output is None:
        return []
    outputs = [output] if isinstance(output, TaskOutput) else output
    if isinstance(outputs, (str, bytes, Mapping)) or not isinstance(outputs, Sequence) \
            or not all(isinstance(o, TaskOutput) for o in outputs):
        fail("InvalidType", f"output must be a TaskOutput or a list of them: got {quote(output)}.")
    kinds = [o.kind for o in outputs]
    if len(set(kinds)) != len(kinds):
        fail("OutputConflict", "output lists two outputs of one kind: give at most one S3 and one CloudWatch output.")
    if "s3" in kinds and output_s3_bucket is not None:
        fail("OutputConflict", "give output=TaskOutput.s3(...) or output_s3_bucket, not both.")
    return list(outputs)


def _output_permissions(out: TaskOutput, bucket: Optional[s3.IBucket],
                        log_group: Optional[logs.ILogGroup]) -> List[Tuple[Sequence[str], Sequence[str]]]:
    """(actions, resources) the instances need to write one output."""
    if bucket is not None:
        return [
            (S3_OUTPUT_OBJECT_ACTIONS, [bucket.arn_for_objects(f"{out.key_prefix or ''}*")]),
            (S3_OUTPUT_BUCKET_ACTIONS, [bucket.bucket_arn]),
        ]
    assert log_group is not None
    return [
        (LOGS_OUTPUT_GROUP_ACTIONS, [log_group.log_group_arn]),
        (LOGS_OUTPUT_ACCOUNT_ACTIONS, ["*"]),  # DescribeLogGroups takes no resource-level permission
    ]
