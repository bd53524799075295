"""The library's deploy-time functions: inline Python that CloudFormation calls for its custom
resources (``enabled=False`` windows, ``AwsManagedBaseline``), and what they share.

Each function answers CloudFormation on every path: a malformed event, an SDK error, a hung or
throttling endpoint, a reply that fails. Every wait is bounded so that the answer fits in the
function's own time limit (:data:`FUNCTION_TIMEOUT`), and each custom resource gives up after
:data:`SERVICE_TIMEOUT` instead of CloudFormation's default hour, should the answer be lost.

Why the functions send their own answer instead of the ``cfn-response`` module Lambda provides
to inline code: that module's ``send`` sets no timeout (a response URL that hangs holds the
function until Lambda stops it, with no answer) and only prints a failure; it exists only inside
Lambda, so its behaviour here could not be tested. The CDK provider framework answers well but
needs a file asset, which a StackSet template without asset buckets cannot publish; inline code
needs none. The answer below is one ``PUT`` with a timeout, tried again after a connection error
or a 5xx, never after a 4xx (an expired or wrong URL stays so).

The code is plain text (``COMMON_CODE`` + each function's ``act``), run in Lambda's Python
runtime with its bundled boto3; ``tests/test_handlers.py`` runs it against stand-ins on
localhost for SSM and for the response URL.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Sequence

from aws_cdk import CustomResource, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from . import iam_types
from .nag import acknowledge_in_compliance_packs

__all__ = ["COMMON_CODE", "FUNCTION_TIMEOUT", "SERVICE_TIMEOUT", "DeployTimeFunction", "worst_case_seconds"]

#: The function's time limit (seconds).
FUNCTION_TIMEOUT = 180
#: How long CloudFormation waits for an answer before it fails the resource (seconds; its default
#: is 3,600): the function's limit and room for Lambda to start it.
SERVICE_TIMEOUT = 300

#: What every function shares: the SDK client with bounded timeouts and retries (botocore's
#: standard retry mode: throttling and transient errors are tried again with backoff), the answer
#: to CloudFormation, and waiting out IAM propagation. Each function adds ``act(event, context)``,
#: which returns ``(physical_id, reason, data)`` or raises.
COMMON_CODE = '''\
import json
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

# Bounded waits (seconds): an SDK call ends within ATTEMPTS x (CONNECT + READ) plus at most
# BACKOFF of retry backoff; the answer within REPLY_ATTEMPTS x REPLY_TIMEOUT plus its pauses.
CONNECT, READ, ATTEMPTS, BACKOFF = 3, 10, 5, 15
REPLY_TIMEOUT, REPLY_ATTEMPTS = 10, 3
RESERVE = ATTEMPTS * (CONNECT + READ) + BACKOFF + REPLY_ATTEMPTS * (REPLY_TIMEOUT + 3)
PROPAGATION_WAIT = 5
clients = {}


def ssm():
    if "ssm" not in clients:
        clients["ssm"] = boto3.client("ssm", config=Config(
            connect_timeout=CONNECT, read_timeout=READ, retries={"mode": "standard", "total_max_attempts": ATTEMPTS}))
    return clients["ssm"]


def code_of(error):
    return (getattr(error, "response", None) or {}).get("Error", {}).get("Code") or type(error).__name__


def handler(event, context):
    url = event.get("ResponseURL") if isinstance(event, dict) else None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        print("no CloudFormation response URL in the event: nothing to answer")
        return
    answer = {"Status": "FAILED", "Reason": "", "PhysicalResourceId": str(event.get("PhysicalResourceId") or "none"),
              "StackId": event.get("StackId"), "RequestId": event.get("RequestId"),
              "LogicalResourceId": event.get("LogicalResourceId")}
    try:
        physical, reason, data = act(event, context)
        answer.update(Status="SUCCESS", PhysicalResourceId=physical, Reason=reason)
        if data:
            answer["Data"] = data
    except Exception as error:
        answer["Reason"] = (code_of(error) + ": " + str(error))[:1000]
    print(json.dumps({"RequestType": event.get("RequestType"), "Status": answer["Status"], "Reason": answer["Reason"]}))
    send(url, answer)


def send(url, answer):
    body = json.dumps(answer).encode()
    for attempt in range(REPLY_ATTEMPTS):
        try:
            request = urllib.request.Request(url, data=body, method="PUT",
                                             headers={"Content-Type": "", "Content-Length": str(len(body))})
            with urllib.request.urlopen(request, timeout=REPLY_TIMEOUT) as response:
                response.read()
            return True
        except urllib.error.HTTPError as error:
            print("the response URL answered HTTP", error.code)
            if error.code < 500:
                return False
        except Exception as error:
            print("the answer failed:", code_of(error), error)
        if attempt + 1 < REPLY_ATTEMPTS:
            time.sleep(attempt + 1)
    return False


def allowed(call, context):
    # A grant made just before this call may take seconds to reach SSM: while access is denied
    # and time is left, wait and try again.
    while True:
        try:
            return call()
        except Exception as error:
            left = context.get_remaining_time_in_millis() / 1000 if context is not None else 0
            if code_of(error) != "AccessDeniedException" or left < RESERVE + PROPAGATION_WAIT:
                raise
        time.sleep(PROPAGATION_WAIT)


def request_type(event):
    kind = event.get("RequestType")
    if kind not in ("Create", "Update", "Delete"):
        raise ValueError("the event's RequestType is " + repr(kind)[:60])
    return kind
'''


def worst_case_seconds() -> int:
    """The longest one SDK call (with every retry) and the answer can take, from the constants of
    ``COMMON_CODE``: the function's time limit must leave room for it."""
    names = re.search(r"^CONNECT, READ, ATTEMPTS, BACKOFF = (\d+), (\d+), (\d+), (\d+)$", COMMON_CODE, re.MULTILINE)
    reply = re.search(r"^REPLY_TIMEOUT, REPLY_ATTEMPTS = (\d+), (\d+)$", COMMON_CODE, re.MULTILINE)
    assert names is not None and reply is not None
    connect, read, attempts, backoff = (int(x) for x in names.groups())
    reply_timeout, reply_attempts = (int(x) for x in reply.groups())
    return attempts * (connect + read) + backoff + reply_attempts * (reply_timeout + 3)


class DeployTimeFunction:
    """One inline function per stack and purpose: its log group, its role (allowed to write its
    logs and ``base_statements``), and per-resource grants made with :meth:`grant`."""

    def __init__(self, stack: Stack, id: str, *, code: str, description: str,
                 base_statements: Sequence[iam.PolicyStatement] = ()) -> None:
        scope = Construct(stack, id)
        self.scope = scope
        log_group = logs.LogGroup(scope, "Logs", retention=logs.RetentionDays.ONE_YEAR, removal_policy=RemovalPolicy.RETAIN)
        self.role = iam.Role(scope, "Role", assumed_by=iam_types.service("lambda.amazonaws.com"), description=description)
        self.policy = iam.ManagedPolicy(  # customer managed, not inline (NIST/HIPAA/PCI: IAMNoInlinePolicy)
            scope, "Policy", roles=[iam_types.role(self.role)], description=description,
            statements=[*base_statements,
                        iam.PolicyStatement(sid="WriteOwnLogs", actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                            resources=[log_group.log_group_arn])],
        )
        function = lambda_.CfnFunction(
            scope, "Function", role=self.role.role_arn, runtime=lambda_.Runtime.PYTHON_3_14.name, handler="index.handler",
            code=lambda_.CfnFunction.CodeProperty(zip_file=code), timeout=FUNCTION_TIMEOUT, memory_size=128,
            description=description, logging_config=lambda_.CfnFunction.LoggingConfigProperty(log_group=log_group.log_group_name),
        )
        function.node.add_dependency(self.policy)
        self.function_arn = function.attr_arn
        self._acknowledge(scope, log_group, description)

    def grant(self, scope: Construct, id: str, statements: List[iam.PolicyStatement]) -> iam.Policy:
        """A policy of the function's role allowing ``statements``, for one resource: a custom
        resource that depends on it is deleted before it, so a permission never disappears while
        its resource still needs it (a shared policy is updated before the old resources are
        deleted)."""
        policy = iam.Policy(scope, id, statements=statements, roles=[iam_types.role(self.role)])
        acknowledge_in_compliance_packs(
            policy, "IAMNoInlinePolicy",
            "one policy per resource, deleted only after the custom resource that needs it; a managed policy each "
            "would meet the quota of managed policies per role")
        return policy

    def custom_resource(self, scope: Construct, id: str, *, resource_type: str, properties: Dict[str, Any],
                        depends_on: Sequence[Construct] = ()) -> CustomResource:
        """A custom resource this function answers, failing after ``SERVICE_TIMEOUT`` without an answer."""
        resource = CustomResource(scope, id, service_token=self.function_arn, resource_type=resource_type,
                                  properties=properties, service_timeout=Duration.seconds(SERVICE_TIMEOUT))
        resource.node.add_dependency(self.policy, *depends_on)
        return resource

    @staticmethod
    def _acknowledge(scope: Construct, log_group: logs.LogGroup, description: str) -> None:
        what = f"The deploy-time function ({description})"
        acknowledge_in_compliance_packs(scope, "LambdaDLQ", f"{what} is invoked by CloudFormation, which records and "
                                                            "reports a failure itself; nothing to queue")
        acknowledge_in_compliance_packs(scope, "LambdaConcurrency", f"{what} runs only while this stack deploys; "
                                                                    "reserving concurrency would only take it from the "
                                                                    "account's pool")
        acknowledge_in_compliance_packs(scope, "LambdaInsideVPC", f"{what} calls only the Systems Manager API and "
                                                                  "reaches no resource in a VPC")
        acknowledge_in_compliance_packs(log_group, "CloudWatchLogGroupEncrypted",
                                        "The log group holds only resource IDs and request outcomes, no secrets; "
                                        "CloudWatch Logs encrypts it at rest with its own keys")
