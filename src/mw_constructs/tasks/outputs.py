"""Where Run Command task output goes, and who hears about it.

* ``TaskOutput.s3(...)`` / ``TaskOutput.cloud_watch(...)``: the instances write command output
  to S3 or CloudWatch Logs (the console only shows the last 2,500 characters). The library
  creates a protected bucket / log group when you give none; the *instance* role needs write
  access (``RunCommandTask.grant_output_write`` or ``ManagedInstanceRole``).
* ``TaskNotifications(...)``: SSM publishes command status to an SNS topic using a
  notification role that the window role must be allowed to pass; all of it is wired here.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-sns-notifications.html
"""

from __future__ import annotations

import enum
from typing import Dict, Optional, Sequence, Tuple

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from .._internal import iam_types
from .._internal.buckets import protected_bucket
from ..iam.grants import SSM_SERVICE
from .._internal.registry import PerStack
from .._internal.validate import check_text, check_type, duplicate_advice, fail, quote

__all__ = ["NotificationEvent", "NotificationType", "TaskNotifications", "TaskOutput"]

OUTPUT_RETENTION = Duration.days(365)
#: What the notification role SSM assumes may do: publish to the task's topic
#: (https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-sns-notifications.html).
PUBLISH_ACTIONS: Tuple[str, ...] = ("sns:Publish",)
ACCESS_LOG_PREFIX = "task-output/"


class NotificationEvent(enum.Enum):
    """Command statuses that trigger a notification."""

    ALL = "All"
    IN_PROGRESS = "InProgress"
    SUCCESS = "Success"
    TIMED_OUT = "TimedOut"
    CANCELLED = "Cancelled"
    FAILED = "Failed"


class NotificationType(enum.Enum):
    """One notification per command (a summary) or per instance invocation."""

    COMMAND = "Command"
    INVOCATION = "Invocation"


class TaskOutput:
    """Where a Run Command task's output is written. Use :meth:`s3` or :meth:`cloud_watch`."""

    def __init__(self, kind: str, *, bucket: Optional[aws_s3.IBucket] = None, key_prefix: Optional[str] = None,
                 log_group: Optional[logs.ILogGroup] = None) -> None:
        self.kind = kind
        self.bucket = bucket
        self.key_prefix = key_prefix
        self.log_group = log_group

    @staticmethod
    def s3(bucket: Optional[aws_s3.IBucket] = None, *, key_prefix: Optional[str] = None) -> "TaskOutput":
        """Write output to ``bucket`` under ``key_prefix`` (up to 500 characters).

        Without a bucket, the stack gets one (shared by all such tasks): all public access
        blocked, TLS-only bucket policy, SSE-KMS encryption with the AWS managed aws/s3 key, versioning, server access
        logging to a second bucket, and a lifecycle rule (objects expire after 365 days,
        old versions after 30). A bucket you give is used as it is.
        """
        if bucket is not None and not hasattr(bucket, "bucket_name"):
            fail("InvalidType", f"bucket must be an s3.IBucket: got {quote(bucket)}.")
        check_text("key_prefix", key_prefix, 1, 500, "InvalidS3KeyPrefix")
        return TaskOutput("s3", bucket=bucket, key_prefix=key_prefix)

    @staticmethod
    def cloud_watch(log_group: Optional[logs.ILogGroup] = None) -> "TaskOutput":
        """Stream output to CloudWatch Logs ``log_group``; without one the stack gets a log
        group (shared by all such tasks) kept for 365 days."""
        if log_group is not None and not hasattr(log_group, "log_group_name"):
            fail("InvalidType", f"log_group must be a logs.ILogGroup: got {quote(log_group)}.")
        return TaskOutput("cloud_watch", log_group=log_group)

    def _bind(self, scope: Construct) -> Tuple[Optional[aws_s3.IBucket], Optional[logs.ILogGroup]]:
        """The bucket (S3) or log group (CloudWatch), created in the stack when not given."""
        if self.kind == "s3":
            bucket: aws_s3.IBucket = self.bucket or _OUTPUT_BUCKET.of(scope)
            return bucket, None
        log_group: logs.ILogGroup = self.log_group or _OUTPUT_LOG_GROUP.of(scope)
        return None, log_group

    def __repr__(self) -> str:
        return f"TaskOutput.{self.kind}(...)"


class TaskNotifications:
    """SNS notifications for a Run Command task.

    ``topic``: an ``sns.ITopic``; without one the stack gets a topic encrypted with the AWS
    managed SNS key and a TLS-only policy. ``events``: statuses to notify (default: FAILED,
    TIMED_OUT and CANCELLED). ``per``: one message per COMMAND (default) or per INVOCATION.
    ``role``: an existing notification role (trusted by ssm.amazonaws.com, allowed
    ``sns:Publish`` on the topic); without one a role that may publish to that topic only is
    created. Either way the task's role is allowed to pass exactly that role, only to SSM.
    ``confused_deputy_conditions``: the created role trusts SSM only on behalf of this stack's
    account (``aws:SourceAccount``), as AWS recommends against the confused deputy. **Off by
    default:** AWS does not document that SSM sets this key when it assumes a Run Command
    notification role, and it is not yet proven against a real account; turn it on after
    checking that notifications still arrive. With ``role``, give the conditions in that role's
    trust policy instead.
    """

    def __init__(
        self,
        *,
        topic: Optional[sns.ITopic] = None,
        events: Optional[Sequence[NotificationEvent]] = None,
        per: NotificationType = NotificationType.COMMAND,
        role: Optional[iam.IRole] = None,
        confused_deputy_conditions: bool = False,
    ) -> None:
        if topic is not None and not hasattr(topic, "topic_arn"):
            fail("InvalidType", f"topic must be an sns.ITopic: got {quote(topic)}.")
        if role is not None and not hasattr(role, "role_arn"):
            fail("InvalidType", f"role must be an iam.IRole (the SNS notification role): got {quote(role)}.")
        check_type("confused_deputy_conditions", confused_deputy_conditions, bool, "True or False")
        if role is not None and confused_deputy_conditions:
            fail("InvalidNotifications", "confused_deputy_conditions applies to the notification role the library "
                                         "creates; with role=..., put aws:SourceAccount in that role's trust policy.")
        events = (NotificationEvent.FAILED, NotificationEvent.TIMED_OUT, NotificationEvent.CANCELLED) if events is None else events
        if isinstance(events, NotificationEvent) or not isinstance(events, Sequence) or not events:
            fail("InvalidNotifications", f"events must be a non-empty list of NotificationEvent: got {quote(events)}.")
        for event in events:
            check_type("events entry", event, NotificationEvent, "a NotificationEvent")
        if NotificationEvent.ALL in events and len(events) > 1:
            fail("InvalidNotifications", "events: NotificationEvent.ALL already includes every status; give it alone.")
        #: What is legal but probably not meant (the task reports it): a repeated event.
        self.advice = duplicate_advice("events", [event.value for event in events])
        check_type("per", per, NotificationType, "NotificationType.COMMAND or NotificationType.INVOCATION")
        self.topic = topic
        self.events = tuple(events)
        self.per = per
        self.role = role
        self.confused_deputy_conditions = confused_deputy_conditions

    def _bind(self, scope: Construct) -> Tuple[sns.ITopic, iam.IRole]:
        """The topic and the notification role, created in the stack when needed."""
        topic = self.topic or iam_types.topic(_NOTIFICATION_TOPIC.of(scope))
        if self.role is not None:
            return topic, self.role
        roles = _NOTIFICATION_ROLES.of(scope)
        key = (id(topic), self.confused_deputy_conditions)
        if key not in roles:  # one notification role per topic (and trust policy)
            roles[key] = (topic, _create_notification_role(Stack.of(scope), topic, len(roles),
                                                           self.confused_deputy_conditions))
        return roles[key]


# ---------------------------------------------------------------------- created resources


def _create_output_bucket(stack: Stack) -> aws_s3.Bucket:
    # AWS managed KMS key (aws/s3): KMS encryption without a key to manage; instances writing through
    # S3 need no extra KMS permission.
    return protected_bucket(
        stack, "TaskOutput", access_log_prefix=ACCESS_LOG_PREFIX, expiration=OUTPUT_RETENTION,
        what="Command output", encryption_key=None,
    )


def _create_output_log_group(stack: Stack) -> logs.LogGroup:
    # CloudWatch Logs encrypts only with customer managed keys: one, rotated yearly, that only the
    # Logs service of this account and Region may use, for log groups of this account.
    key = kms.Key(stack, "TaskOutputLogsKey", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN,
                  description="Encrypts maintenance window task output in CloudWatch Logs (mw-constructs)")
    key.add_to_resource_policy(iam.PolicyStatement(
        principals=[iam_types.service(f"logs.{stack.region}.amazonaws.com")],
        actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources=["*"],  # in a key policy, "*" is this key
        conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*"}},
    ))
    return logs.LogGroup(stack, "TaskOutputLogs", retention=logs.RetentionDays.ONE_YEAR, encryption_key=key,
                         removal_policy=RemovalPolicy.RETAIN)


def _create_topic(stack: Stack) -> sns.Topic:
    key = kms.Alias.from_alias_name(stack, "AwsManagedSnsKey", "alias/aws/sns")
    return sns.Topic(stack, "PatchingNotifications", master_key=key, enforce_ssl=True)


def _create_notification_role(stack: Stack, topic: sns.ITopic, index: int, conditions: bool) -> iam.IRole:
    principal = iam.ServicePrincipal(SSM_SERVICE)
    role = iam.Role(
        stack, "NotificationRole" if index == 0 else f"NotificationRole{index + 1}",
        assumed_by=iam_types.principal(principal.with_conditions({"StringEquals": {"aws:SourceAccount": stack.account}})
                                       if conditions else principal),
        description="Lets SSM publish Run Command notifications of maintenance window tasks (mw-constructs)",
    )
    iam.ManagedPolicy(  # customer managed, not inline (NIST/HIPAA/PCI: IAMNoInlinePolicy)
        role, "Policy", roles=[iam_types.role(role)], description="Publish maintenance window task notifications (mw-constructs)",
        statements=[iam.PolicyStatement(actions=list(PUBLISH_ACTIONS), resources=[topic.topic_arn])],
    )
    return iam_types.role(role)


# Per stack, created the first time a task asks: the output bucket, log group and notification
# topic shared by every task of the stack that gives none, and one notification role per topic.
_OUTPUT_BUCKET: PerStack[aws_s3.Bucket] = PerStack(_create_output_bucket)
_OUTPUT_LOG_GROUP: PerStack[logs.LogGroup] = PerStack(_create_output_log_group)
_NOTIFICATION_TOPIC: PerStack[sns.Topic] = PerStack(_create_topic)
_NOTIFICATION_ROLES: PerStack[Dict[Tuple[int, bool], Tuple[sns.ITopic, iam.IRole]]] = PerStack(lambda stack: {})
