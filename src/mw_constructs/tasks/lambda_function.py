"""Lambda tasks: ``LambdaTask`` invokes a function (``TaskType: LAMBDA``).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowLambdaParameters.html
and https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ssm-maintenancewindowtask-maintenancewindowlambdaparameters.html
(``Payload`` is the base64 encoding of the JSON the function receives).
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any, Mapping, Optional, Tuple, Union

from aws_cdk import Fn, Stack
from aws_cdk import aws_ssm as ssm
from constructs import Construct
from typing_extensions import Unpack

from .._internal.arns import arn_in_this_environment
from .._internal.tokens import is_token
from .._internal.validate import check_options, check_pattern, fail, literal_text, quote
from ..interfaces import IPatchingWindow
from .pseudo_parameters import TaskKind
from ..iam.grants import Permission, target_permissions
from .._internal.task_arguments import load_json, parse_json
from ..interfaces import TaskOptions
from .base import TaskBase, TaskSettings
from .._internal.signatures import truthful_signature

if TYPE_CHECKING:
    from aws_cdk import aws_lambda

__all__ = ["FunctionLike", "LambdaTask"]

#: [API] MaintenanceWindowLambdaParameters.Payload: a blob of at most 4,096 bytes (the JSON, before base64).
PAYLOAD_LIMIT_BYTES = 4096
_CLIENT_CONTEXT_LIMIT = 8000  # [API] ClientContext: 1-8,000 characters (base64 text)
_FUNCTION_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
_FUNCTION_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[a-zA-Z0-9_-]{1,64}(:[a-zA-Z0-9$_-]{1,128})?")
_QUALIFIER = re.compile(r"[a-zA-Z0-9$_-]{1,128}")
#: What the task's role needs: invoke exactly this function (qualified when the task is); the
#: maintenance-window role page's custom policy lists lambda:InvokeFunction.
INVOKE_FUNCTION_ACTIONS: Tuple[str, ...] = ("lambda:InvokeFunction",)

#: What a ``function`` argument takes. ``FunctionBase`` (``Function``, ``Alias``, ``Version``) is
#: listed besides ``IFunction`` because type checkers do not match those classes to the jsii
#: protocol (aws-cdk-lib's parameter names differ between them).
FunctionLike = Union["aws_lambda.IFunction", "aws_lambda.FunctionBase", str]


@truthful_signature
class LambdaTask(TaskBase):
    """A Lambda task of a window: invokes ``function`` once per target (or once, without targets).

    Args:
        window: the window (any ``IPatchingWindow``).
        function: a ``lambda_.IFunction`` (also a ``Version`` or ``Alias``), a function name
            or a function ARN.
        payload: the event the function receives: a dict (rendered as JSON) or a JSON string,
            at most 4,096 bytes; the library writes the base64 encoding CloudFormation expects.
            Pseudo parameters (``{{RESOURCE_ID}}``, ...) in it are filled per target.
        payload_base64: the same, already base64-encoded (``Payload`` as CloudFormation takes
            it, e.g. copied from a template): written as given, after checking it decodes to JSON
            of at most 4,096 bytes. Give ``payload`` or ``payload_base64``.
        client_context: Lambda client context, a dict or JSON string (sent base64-encoded,
            up to 8,000 characters). ``client_context_base64``: the same, already encoded.
        qualifier: a version or alias to invoke (``Qualifier``; ``TaskArn`` stays the function's
            name or ARN as given). Only that version or alias may be invoked. With a ``Version``,
            an ``Alias`` or a qualified ARN it must name the same version or alias.
        **options: :class:`TaskOptions` (targets optional).

    The task's role may invoke exactly this function (``lambda:InvokeFunction``, qualified
    when the task is).

    Attributes:
        task_id: the task's ID (a token).
        window: the window it is registered with.
        role: the role that invokes the function.
        function_arn: the ARN invoked.

    ``node.default_child`` is the L1.
    """

    def __init__(self, scope: Construct, id: str, *, window: IPatchingWindow, function: FunctionLike,
                 payload: Optional[Union[Mapping[str, Any], str]] = None,
                 client_context: Optional[Union[Mapping[str, Any], str]] = None, qualifier: Optional[str] = None,
                 payload_base64: Optional[str] = None, client_context_base64: Optional[str] = None,
                 **options: Unpack[TaskOptions]) -> None:
        check_options(type(self).__name__, options, TaskOptions.__annotations__)
        task_arn, function_arn = _function(function, qualifier)
        common = TaskSettings.parse(window, options, kind="a Lambda task", task_type=TaskKind.LAMBDA)
        for plain, encoded in (("payload", payload_base64), ("client_context", client_context_base64)):
            if encoded is not None and (payload if plain == "payload" else client_context) is not None:
                fail("InvalidPayload", f"give {plain} or {plain}_base64, not both.")
        for plain, value in (("payload", payload), ("client_context", client_context)):
            if _looks_encoded(value):
                fail("InvalidPayload", f"{plain} {quote(value)} is base64, not JSON: give it as {plain}_base64=..., which "
                                       f"is written as it is, or give the JSON itself as {plain}.")
        payload_json = parse_json("payload", payload, "InvalidPayload") if payload_base64 is None else \
            _decoded("payload_base64", payload_base64)
        if payload_json is not None:
            common.check_values("payload", [payload_json])
            if len(literal_text(payload_json).encode()) > PAYLOAD_LIMIT_BYTES:  # tokens count as nothing
                fail("InvalidPayload", f"payload is {len(literal_text(payload_json).encode()):,} bytes of JSON; SSM takes at most "
                                       f"{PAYLOAD_LIMIT_BYTES:,}. Pass an S3 location or an ID and let the function "
                                       f"read the rest.")
        context_text = _client_context(client_context, client_context_base64)
        super().__init__(scope, id, common)

        self.function_arn = function_arn
        self._grant((*(target_permissions() if common.has_targets else ()),
                     Permission(INVOKE_FUNCTION_ACTIONS, (function_arn,), sid="InvokeFunctions")),
                    f"invoking {task_arn}")
        self._create(
            common, task_arn=task_arn,
            invocation=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
                maintenance_window_lambda_parameters=ssm.CfnMaintenanceWindowTask.MaintenanceWindowLambdaParametersProperty(
                    payload=payload_base64 if payload_base64 is not None else
                    None if payload_json is None else self._base64(payload, payload_json),
                    client_context=context_text,
                    qualifier=qualifier,
                )
            ),
        )

    def _base64(self, payload: Any, text: str) -> str:
        """Base64 of the payload's JSON: computed here, or by CloudFormation (``Fn::Base64``)
        when the payload holds deploy-time values."""
        if not is_token(text):
            return base64.b64encode(text.encode()).decode()
        return Fn.base64(text if isinstance(payload, str) else Stack.of(self).to_json_string(payload))


def _function(function: Any, qualifier: Any) -> Tuple[str, str]:
    """(TaskArn, the ARN IAM allows invoking) of ``function`` with ``qualifier``."""
    if qualifier is not None:
        if not isinstance(qualifier, str) or not (is_token(qualifier) or _QUALIFIER.fullmatch(qualifier)):
            fail("InvalidQualifier", f"qualifier must be a version number or an alias name (1-128 of letters, digits, "
                                     f"'$', '_', '-'): got {quote(qualifier)}.")
    if isinstance(function, str):
        check_pattern(function, _FUNCTION_NAME if not function.startswith("arn:") else _FUNCTION_ARN, "InvalidFunction",
                      f"function must be a lambda_.IFunction, a function name (1-64 of letters, digits, '-', '_') or "
                      f"a function ARN: got {quote(function)}.")
        arn = function if is_token(function) or function.startswith("arn:") else \
            arn_in_this_environment("lambda", f"function:{function}")
        already_qualified = not is_token(function) and function.count(":") == 7
        name = function
    elif hasattr(function, "function_arn") and hasattr(function, "grant_invoke"):
        arn = name = function.function_arn
        already_qualified = hasattr(function, "lambda_")  # a Version or an Alias
    else:
        fail("InvalidFunction", f"function must be a lambda_.IFunction, a function name or a function ARN: got "
                                f"{quote(function)}.")
    if qualifier is None:
        return name, arn
    if already_qualified:
        named = _qualifier_of(function)
        if named is not None and not is_token(named) and not is_token(qualifier) and named != qualifier:
            fail("InvalidQualifier", f"function is already the version or alias {named!r}, so qualifier={qualifier!r} "
                                     f"names another: Lambda refuses a qualifier that differs from the one in the "
                                     f"function's name. Drop qualifier, or pass the unqualified function.")
        return name, arn
    return name, f"{arn}:{qualifier}"


def _qualifier_of(function: Any) -> Optional[str]:
    """The version or alias a qualified function names (None when it cannot be read)."""
    if isinstance(function, str):
        return function.rsplit(":", 1)[1]
    for attribute in ("alias_name", "version"):
        value = getattr(function, attribute, None)
        if isinstance(value, str):
            return value
    return None


def _looks_encoded(value: Any) -> bool:
    """A string that is not JSON but is the base64 of JSON (what CloudFormation's Payload holds)."""
    if not isinstance(value, str) or is_token(value):
        return False
    try:
        load_json(value)
        return False
    except ValueError:
        pass
    try:
        load_json(base64.b64decode(value, validate=True).decode())
        return True
    except (ValueError, UnicodeDecodeError):
        return False


def _decoded(argument: str, text: Any) -> str:
    """The JSON inside an already base64-encoded value (checked: base64, then JSON)."""
    if not isinstance(text, str) or is_token(text):
        if isinstance(text, str):
            return text
        fail("InvalidPayload", f"{argument} must be a base64 string: got {quote(text)}.")
    try:
        decoded = base64.b64decode(text, validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        fail("InvalidPayload", f"{argument} must be base64 (as CloudFormation's Payload and ClientContext are): "
                               f"{quote(text)} is not; give the JSON itself as {argument[:-len('_base64')]}.")
    parsed = parse_json(argument, decoded, "InvalidPayload")
    assert parsed is not None
    return parsed


def _client_context(value: Any, encoded: Optional[str] = None) -> Optional[str]:
    if encoded is not None:
        _decoded("client_context_base64", encoded)
        if not is_token(encoded) and len(encoded) > _CLIENT_CONTEXT_LIMIT:
            fail("InvalidPayload", f"client_context_base64 is {len(encoded):,} characters; SSM takes at most "
                                   f"{_CLIENT_CONTEXT_LIMIT:,}.")
        return encoded
    text = parse_json("client_context", value, "InvalidPayload")
    if text is None or is_token(text):
        return text
    encoded = base64.b64encode(text.encode()).decode()
    if len(encoded) > _CLIENT_CONTEXT_LIMIT:
        fail("InvalidPayload", f"client_context is {len(encoded):,} characters once base64-encoded; SSM takes at most "
                               f"{_CLIENT_CONTEXT_LIMIT:,}.")
    return encoded

