"""The one exception type the library raises for bad input, and the registries of its error
codes and warning ids (both public API: match on them, never on message text).

Every code and id is a :class:`Rule`: what it means, its strictness class (why it is an error
or a warning) and its evidence. The strictness rule (docs: "Errors and warnings"):

* an **error** only where SSM, CloudFormation or IAM refuses the request (``REFUSED``), where
  the configuration certainly fails when it deploys or runs (``FAILS``), or where a call to the
  library has no meaning (``USAGE``: a wrong type, an unknown keyword, two arguments for one
  thing). ``UNDOCUMENTED`` marks the few forms the library refuses because AWS gives them no
  meaning and whether AWS accepts them is not known; the docs list them;
* a **warning** (``SUSPICIOUS``) where it is legal but probably not what was meant;
* nothing where it is legal and harmless, explicit defaults included.

Evidence items are ``api:<Shape>.<Member>`` (a member of the SSM API model botocore ships; an
operation name stands for its request, ``api:<Shape>`` alone for an error shape),
``cfn:<Type>.<Property>`` (the CloudFormation resource schema), ``doc:<URL>`` (an AWS page, or
the project that defines the behaviour), or ``lib:<reason>`` (a rule of the library's own API),
each optionally followed by a note. tests/quality/test_registry.py resolves every ``api:`` and
``cfn:`` item and checks that each rule has the evidence its class needs.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, Tuple

__all__ = ["ERROR_CODES", "ERROR_RULES", "WARNING_IDS", "WARNING_RULES", "Advice", "Rule", "Strictness",
           "ValidationError"]


class Strictness(enum.Enum):
    """Why a rule is an error or a warning (see the module docstring)."""

    REFUSED = "refused"  #: SSM, CloudFormation or IAM refuses the request
    FAILS = "fails"  #: accepted, but certainly fails when it deploys or runs
    USAGE = "usage"  #: a call to the library that has no meaning
    UNDOCUMENTED = "undocumented"  #: a form AWS gives no meaning, refused by choice (the docs list them)
    SUSPICIOUS = "suspicious"  #: legal, but probably not what was meant (a warning)


@dataclass(frozen=True)
class Rule:
    """One error code or warning id: what it means, its strictness class and its evidence."""

    meaning: str
    strictness: Strictness
    evidence: Tuple[str, ...]


REFUSED, FAILS, USAGE, UNDOCUMENTED, SUSPICIOUS = (Strictness.REFUSED, Strictness.FAILS, Strictness.USAGE,
                                                   Strictness.UNDOCUMENTED, Strictness.SUSPICIOUS)

# Pages cited by several rules.
CRON = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html"
EBCRON = "doc:https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html"
SCHED = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-windows-schedule-options.html"
QUOTAS = "doc:https://docs.aws.amazon.com/general/latest/gr/ssm.html"
TARGETS = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/mw-cli-tutorial-targets-examples.html"
PSEUDO = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-window-tasks-pseudo-parameters.html"
TARGETLESS = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-windows-targetless-tasks.html"
TROUBLE = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/troubleshooting-maintenance-windows.html"
RPB = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaseline.html"
HOOKS = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaselinewithhooks.html"
GROUPS = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-patch-groups.html"
FILTER = "doc:https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PatchFilter.html"
DOCS = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/documents.html"
LAMBDA = "doc:https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html"
SFN = "doc:https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html"
S3NAMES = "doc:https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"
IAMQ = "doc:https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
CFNQ = "doc:https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html"
FINDINMAP = "doc:https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-findinmap.html"
REGIONS = "doc:https://docs.aws.amazon.com/general/latest/gr/rande.html"
IANA = "doc:https://www.iana.org/time-zones"
EC2IDS = "doc:https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html"
RGROUPS = "doc:https://docs.aws.amazon.com/ARG/latest/APIReference/API_Group.html"
TAGGING = "doc:https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html"
STACKSETS = "doc:https://github.com/cdklabs/cdk-stacksets"
CWPERIOD = "doc:https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"
CFN891 = "doc:https://github.com/awsdocs/aws-cloudformation-user-guide/issues/891"
PREDEF = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-predefined-and-custom-patch-baselines.html"
OVERWRITES = "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-compliance-data-overwrites.html"
QSPOLICY = "doc:https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ssmquicksetup-configurationmanager-configurationdefinition.html"

#: Every code ValidationError can carry. Codes are public API: never rename one; add new ones
#: here (the docs' error catalogue is generated from this).
ERROR_RULES: Mapping[str, Rule] = MappingProxyType(
    {
        # schedule: expression form
        "ScheduleSyntax": Rule(
            "the schedule is not cron(...), rate(...) or at(...), or is longer than 256 characters",
            REFUSED, ("api:CreateMaintenanceWindow.Schedule", CRON,)),
        "CronFieldCount": Rule(
            "a cron needs 6 fields (or 7 with leading seconds) separated by single spaces",
            REFUSED, (CRON + " (six required fields, an optional leading seconds field)",)),
        "CronSyntax": Rule(
            "a cron field is not made of values, names and , - * / (or ? in a day field)",
            REFUSED, (CRON + " (the wildcards each field takes)", EBCRON,)),
        "CronValueOutOfRange": Rule(
            "a cron value is outside its field's range (e.g. hour 24, day-of-week 0, #6)",
            REFUSED, (CRON + " (the values each field takes; '#' is followed by 1-5)",)),
        "CronDaysConflict": Rule(
            "both day-of-month and day-of-week are set: one must be ?",
            REFUSED, (CRON + ' ("You can\'t specify a value in the day-of-month and in the day-of-week fields")',)),
        "CronDaysMissing": Rule(
            "both day-of-month and day-of-week are ?: exactly one must be",
            REFUSED, (EBCRON + " (one day field takes '?', the other a value)",)),
        "CronUnsupportedForm": Rule(
            "L-n or LW in day-of-month, several n#k, L/W/# inside a list, or a lower-case name (mon)",
            UNDOCUMENTED, (
                CRON + " (documents L, nW, nL and n#k only, each on its own, and upper-case names)",
                EBCRON + " ('3#1,6#3 is invalid')",
            )),
        "CronTooFrequent": Rule(
            "the cron can open windows less than 5 minutes apart",
            REFUSED, (
                CRON + ' ("Cron expressions that lead to rates faster than five (5) minute aren\'t supported")',
            )),
        "CronNeverRuns": Rule(
            "the fixed day does not exist in any selected month (e.g. 30 FEB)",
            FAILS, (
                "lib:no selected month has the day, so the window never opens and its tasks never run (a fact of the calendar, not of the moment of synthesis)",
            )),
        "RateSyntax": Rule(
            "the rate is not rate(N minute(s)|hour(s)|day(s)) with N a positive whole number",
            REFUSED, (CRON + " (rate: a positive number and minute(s), hour(s) or day(s))",)),
        "RateUnitNumber": Rule(
            "the rate unit must be singular for 1 and plural above 1",
            REFUSED, (CRON + ' ("rate(1 hours) and rate(5 hour) aren\'t valid")',)),
        "RateTooFrequent": Rule(
            "the rate is below 5 minutes",
            UNDOCUMENTED, (CRON + " (the 5-minute floor is documented for cron; applied to rate by analogy)",)),
        "AtSyntax": Rule(
            "at(...) is not yyyy-mm-ddThh:mm:ss of a real date, or has sub-second precision",
            REFUSED, (SCHED + " (at(yyyy-mm-ddThh:mm:ss))", CRON,)),
        "ScheduleOffsetRange": Rule(
            "schedule_offset is not a whole number of days from 1 to 6",
            REFUSED, ("api:CreateMaintenanceWindow.ScheduleOffset",)),
        "ScheduleOffsetNotCron": Rule(
            "schedule_offset is used with rate(...) or at(...)",
            REFUSED, (CRON + " (schedule offsets are supported for cron expressions only)",)),
        # associations (State Manager)
        "AssociationCronUnsupported": Rule(
            "an association's cron is not one State Manager supports (every 30 minutes, every 1/2/4/8/12 hours, daily, weekly, n-th or last week day of the month; seconds 0; no month or year)",
            REFUSED, (CRON + ' ("Associations only support the following cron expressions")',)),
        "AssociationRateOutOfRange": Rule(
            "an association's rate is under 30 minutes, or 31 days or more",
            REFUSED, (CRON + ' ("intervals of 30 minutes or greater and less than 31 days")',)),
        "ApplyOnlyAtCronIntervalWithRate": Rule(
            "apply_only_at_cron_interval=True with a rate schedule",
            REFUSED, ("api:CreateAssociation.ApplyOnlyAtCronInterval (not supported for rate expressions)",)),
        "ScheduleOffsetNeedsCronInterval": Rule(
            "an association's schedule_offset without apply_only_at_cron_interval=True",
            REFUSED, ("api:CreateAssociation.ScheduleOffset (\"To use offsets, you must specify the ApplyOnlyAtCronInterval parameter\")",)),
        "InvalidAssociationName": Rule(
            "association_name is not 3-128 of letters, digits and _-.",
            REFUSED, ("api:CreateAssociation.AssociationName", "cfn:AWS::SSM::Association.AssociationName",)),
        "InvalidAssociationTarget": Rule(
            "an association target's key or values are not what SSM takes, or selectors are mixed",
            REFUSED, ("api:CreateAssociation.Targets", "cfn:AWS::SSM::Association.Targets",
                      "api:Target.Key", "api:Target.Values",)),
        "AssociationTargetsRequired": Rule(
            "a Command-document association has no targets (and no instance_id)",
            FAILS, ("lib:a Command document runs on nodes; an association with no target runs nowhere",
                    "api:CreateAssociation.Targets",)),
        "InstanceIdConflict": Rule(
            "the deprecated instance_id together with targets, a schedule, a name, a version, rate controls or output",
            REFUSED, ("api:CreateAssociation.InstanceId (cannot be used with AssociationName, DocumentVersion, MaxErrors, MaxConcurrency, OutputLocation or ScheduleExpression)",)),
        "AutomationTargetParameterRequired": Rule(
            "an Automation association with targets and rate controls has no automation_target_parameter_name, or one outside 1-50 characters",
            REFUSED, ("api:CreateAssociation.AutomationTargetParameterName (required for Automation runbooks that target resources with rate controls)",)),
        "InvalidWaitForSuccessTimeout": Rule(
            "wait_for_success_timeout is not whole seconds from 15 seconds to 48 hours",
            REFUSED, ("cfn:AWS::SSM::Association.WaitForSuccessTimeoutSeconds",)),
        "InvalidCalendarName": Rule(
            "a calendar_names entry is not a Change Calendar document name or ARN",
            REFUSED, ("api:CreateAssociation.CalendarNames",
                      "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-change-calendar.html",)),
        # Quick Setup patch policies
        "InvalidPatchPolicy": Rule(
            "a patch policy parameter is not one Quick Setup takes (name, schedules, operation, baselines, targets, rate control, output)",
            REFUSED, (QSPOLICY + " (Parameters of AWSQuickSetupType-PatchPolicy)", "cfn:AWS::SSMQuickSetup::ConfigurationManager.ConfigurationDefinitions",)),
        "PatchPolicyTargets": Rule(
            "a patch policy names no account and no organizational unit, or no Region, or a TargetType without what it needs",
            REFUSED, (QSPOLICY + " (TargetAccounts or TargetOrganizationalUnits; TargetRegions required; TargetInstances, TargetTagKey/Value, ResourceGroupName per TargetType)",)),
        "UnknownTimeZone": Rule(
            "time_zone is not an IANA zone name (names are case-sensitive)",
            REFUSED, ("api:CreateMaintenanceWindow.ScheduleTimezone (IANA format)", IANA,)),
        "InvalidRegion": Rule(
            "a Region is not an AWS Region name such as eu-west-1",
            REFUSED, (REGIONS, "cfn:AWS::CloudFormation::StackSet.StackInstancesGroup",)),
        "RegionWithoutTimeZone": Rule(
            "a follow-the-sun schedule is used in a Region its RegionalTimeZones has no zone for",
            FAILS, (FINDINMAP + " (a missing key fails the deployment)",)),
        "RegionalSchedule": Rule(
            "runs were asked of a follow-the-sun schedule without naming a Region (use in_region)",
            USAGE, (
                "lib:a follow-the-sun schedule has a time zone per Region, so its runs are asked of one Region (in_region)",
            )),
        "NaiveDate": Rule(
            "a date has no time zone",
            USAGE, (
                "lib:a date without a time zone names no moment",
                "api:CreateMaintenanceWindow.StartDate (ISO-8601 extended format)",
            )),
        "EndNotAfterStart": Rule(
            "end_date is not after start_date",
            FAILS, (
                "api:CreateMaintenanceWindow.EndDate (when the window becomes inactive)",
                "lib:an end at or before the start leaves no time in which the window can open",
            )),
        "UnresolvedSchedule": Rule(
            "runs were asked of a schedule that is an unresolved CDK token",
            USAGE, ("lib:a schedule that is a deploy-time token has no runs to compute at synthesis",)),
        # window
        "DurationRange": Rule(
            "duration is not 1 to 24 hours",
            REFUSED, ("api:CreateMaintenanceWindow.Duration",)),
        "CutoffRange": Rule(
            "cutoff is not 0 to 23 hours",
            REFUSED, ("api:CreateMaintenanceWindow.Cutoff",)),
        "CutoffNotBelowDuration": Rule(
            "cutoff is not less than duration, so no task could start",
            REFUSED, (
                CFN891 + " (the service answers 'must be smaller than ... (Duration - 1)')",
                "api:CreateMaintenanceWindow.Cutoff",
            )),
        "NotWholeHours": Rule(
            "duration or cutoff is not a whole number of hours",
            REFUSED, (
                "api:CreateMaintenanceWindow.Duration (an integer of hours)",
                "api:CreateMaintenanceWindow.Cutoff",
            )),
        "InvalidWindowId": Rule(
            "an imported window ID is not mw- followed by 17 hex digits",
            REFUSED, ("api:RegisterTaskWithMaintenanceWindow.WindowId",)),
        "InvalidWindowArn": Rule(
            "an imported window ARN is not arn:<partition>:ssm:<region>:<account>:maintenancewindow/mw-...",
            REFUSED, ("api:RegisterTaskWithMaintenanceWindow.WindowId (the ID the ARN ends in)",)),
        "InvalidTargetId": Rule(
            "an imported window target ID is not a 36-character UUID",
            REFUSED, ("api:DeregisterTargetFromMaintenanceWindow.WindowTargetId",)),
        "InvalidTaskId": Rule(
            "an imported window task ID is not a 36-character UUID",
            REFUSED, ("api:DeregisterTaskFromMaintenanceWindow.WindowTaskId",)),
        "InvalidBaselineId": Rule(
            "an imported patch baseline ID is not 20-128 characters of a-z A-Z 0-9 _ - : /",
            REFUSED, ("api:GetPatchBaseline.BaselineId",)),
        "InvalidName": Rule(
            "a name is not 3-128 characters of a-z A-Z 0-9 _ - .",
            REFUSED, ("api:CreateMaintenanceWindow.Name", "api:CreatePatchBaseline.Name",)),
        "InvalidDescription": Rule(
            "a description is not 1-128 characters",
            REFUSED, ("api:CreateMaintenanceWindow.Description", "api:CreatePatchBaseline.Description",)),
        "InvalidTag": Rule(
            "a tag key or value is empty, too long, uses aws: or a character AWS rejects",
            REFUSED, ("api:Tag.Key", "api:Tag.Value", "api:Target.Key", TAGGING + " (the aws: prefix is reserved)",)),
        # targets
        "TargetSelector": Rule(
            "a WindowTarget needs exactly one of tags, instance_ids, resource_group",
            USAGE, (
                "lib:one WindowTarget is one selector (tags and tag keys, instance IDs, or a resource group)",
                "api:RegisterTargetWithMaintenanceWindow.Targets",
            )),
        "TooManyTagPairs": Rule(
            "a tag target has more than 5 key-value pairs",
            REFUSED, (
                "api:RegisterTargetWithMaintenanceWindow.Targets (at most 5)",
                TARGETS + " (up to five key-value pairs / tag-keys)",
            )),
        "InvalidInstanceId": Rule(
            "an instance ID is not i-(8 or 17 hex) or mi-(17 hex), or the list is empty",
            FAILS, (
                EC2IDS + " (i- and 8 or 17 hex digits; managed nodes mi-)",
                "lib:no node has another ID, so the task finds no target",
            )),
        "TooManyInstanceIds": Rule(
            "more than 50 instance IDs",
            REFUSED, ("api:Target.Values (at most 50)",)),
        "InvalidResourceGroup": Rule(
            "a resource group is not a group name or ARN",
            FAILS, (
                RGROUPS + " (group names and ARNs)",
                "lib:no group has another name, so the window resolves no target",
            )),
        "InvalidResourceTypeFilter": Rule(
            "a resource type filter is not like AWS::EC2::Instance",
            FAILS, (
                "doc:https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html (resource types are Service::Provider::Type)",
            )),
        "InvalidOwnerInformation": Rule(
            "owner_information is not 1-128 characters",
            REFUSED, ("api:RegisterTargetWithMaintenanceWindow.OwnerInformation",)),
        "InvalidPatchGroup": Rule(
            "a patch group name is not 1-256 allowed characters, or starts or ends with a space",
            REFUSED, ("api:RegisterPatchBaselineForPatchGroup.PatchGroup",)),
        "InvalidPatchGroupTagKey": Rule(
            "the patch group tag key is not exactly 'Patch Group' or 'PatchGroup'",
            FAILS, (GROUPS + " (Patch Manager reads the tag keys 'Patch Group' and 'PatchGroup' only)",)),
        # tasks
        "TaskWithoutTargets": Rule(
            "a task that needs targets (Run Command) has neither targets nor instance_ids",
            REFUSED, (
                "api:RegisterTaskWithMaintenanceWindow.Targets (one or more for Run Command tasks)",
                TARGETLESS,
            )),
        "TaskTargetsConflict": Rule(
            "a task has both targets and instance_ids",
            USAGE, (
                "lib:targets= and instance_ids= are two ways to fill the task's Targets: give one",
                "api:RegisterTaskWithMaintenanceWindow.Targets",
            )),
        "TargetOfOtherWindow": Rule(
            "a task lists a target registered with another window",
            REFUSED, (
                "api:RegisterTaskWithMaintenanceWindow.Targets (WindowTargetIds of this window)",
                "api:DoesNotExistException",
            )),
        "UnassociatedTargetsNotAllowed": Rule(
            "instance_ids on a window without allow_unassociated_targets",
            REFUSED, (
                "api:CreateMaintenanceWindow.AllowUnassociatedTargets (off: tasks must name registered targets)",
            )),
        "RateControlRequired": Rule(
            "max_concurrency or max_errors is missing on a task with targets",
            REFUSED, (
                "api:RegisterTaskWithMaintenanceWindow.MaxConcurrency (omitted only for a targetless task)",
                "api:RegisterTaskWithMaintenanceWindow.MaxErrors",
            )),
        "RateControlWithoutTargets": Rule(
            "max_concurrency or max_errors on a task without targets (SSM rejects both there)",
            REFUSED, (
                "api:RegisterTaskWithMaintenanceWindow.MaxConcurrency (a targetless task cannot take one)",
                TROUBLE,
            )),
        "ServiceLinkedRoleConflict": Rule(
            "service_linked_role=True together with role=: a task runs as one or the other",
            USAGE, (
                "lib:a task runs as one role: the service-linked role or role=",
                "api:RegisterTaskWithMaintenanceWindow.ServiceRoleArn",
            )),
        "InvalidMaxConcurrency": Rule(
            "max_concurrency does not match the API pattern (1+, 1%-100%)",
            REFUSED, ("api:RegisterTaskWithMaintenanceWindow.MaxConcurrency",)),
        "InvalidMaxErrors": Rule(
            "max_errors does not match the API pattern (0+, 0%-100%)",
            REFUSED, ("api:RegisterTaskWithMaintenanceWindow.MaxErrors",)),
        "InvalidPriority": Rule(
            "priority is not a whole number of 0 or more",
            REFUSED, ("api:RegisterTaskWithMaintenanceWindow.Priority",)),
        "InvalidTimeout": Rule(
            "timeout is not 30 seconds to 30 days in whole seconds",
            REFUSED, ("api:MaintenanceWindowRunCommandParameters.TimeoutSeconds",)),
        "InvalidDocument": Rule(
            "a document is not a valid SSM document name or ARN",
            REFUSED, ("api:RegisterTaskWithMaintenanceWindow.TaskArn", "api:SendCommand.DocumentName",)),
        "WrongDocumentType": Rule(
            "a document of one type (Command, Automation) is given to a task that runs another",
            FAILS, (DOCS + " (Run Command runs Command documents, Automation runs runbooks)",)),
        "UnknownDocumentParameter": Rule(
            "a parameter a catalogued AWS document does not have (the message suggests the closest)",
            FAILS, (
                "api:InvalidParameters (a parameter the document does not define)",
                "lib:the catalogue cites each document's page (documents.py)",
            )),
        "InvalidDocumentParameter": Rule(
            "a value a catalogued AWS document's parameter does not accept, or several for a one-value parameter",
            FAILS, ("api:InvalidParameters (a value the document's parameter does not allow)", RPB,)),
        "MissingDocumentParameter": Rule(
            "a required parameter of a catalogued AWS document is missing",
            FAILS, ("api:InvalidParameters (a required parameter without a value)", RPB,)),
        "InvalidParameters": Rule(
            "document parameters are not name -> string(s), or break the API's limits on names, values and counts",
            REFUSED, (
                "api:MaintenanceWindowRunCommandParameters.Parameters",
                "api:MaintenanceWindowAutomationParameters.Parameters",
            )),
        "UnsupportedPseudoParameter": Rule(
            "a pseudo parameter where SSM does not fill it: {{TARGET_ID}}/{{RESOURCE_ID}} in Run Command, a per-target one in a task without targets, {{LOGGING_S3_*}}",
            FAILS, (PSEUDO + " (which pseudo parameters each task type fills; LoggingInfo is deprecated)",)),
        "AssumeRoleConflict": Rule(
            "assume_role= and an AutomationAssumeRole parameter are both given",
            USAGE, ("lib:assume_role= writes the AutomationAssumeRole parameter: give one of them",)),
        "InvalidFunction": Rule(
            "function is not a lambda_.IFunction, a function name or a function ARN",
            FAILS, (LAMBDA + " (FunctionName: a name, a partial or full ARN)",)),
        "InvalidQualifier": Rule(
            "qualifier is not a version or alias of 1-128 characters, or the function is already qualified",
            REFUSED, (
                "api:MaintenanceWindowLambdaParameters.Qualifier",
                LAMBDA + " (a qualified function name and a qualifier that differ are refused)",
            )),
        "InvalidPayload": Rule(
            "a Lambda payload or client context is not JSON, or is too long (4,096 bytes; 8,000 characters encoded)",
            REFUSED, (
                "api:MaintenanceWindowLambdaParameters.Payload",
                "api:MaintenanceWindowLambdaParameters.ClientContext",
                LAMBDA + " (the payload is JSON)",
            )),
        "InvalidStateMachine": Rule(
            "state_machine is not an sfn.IStateMachine or a state machine ARN",
            FAILS, (SFN + " (stateMachineArn)",)),
        "InvalidExecutionInput": Rule(
            "a Step Functions input is not JSON, or is longer than 4,096 characters",
            REFUSED, ("api:MaintenanceWindowStepFunctionsParameters.Input", SFN + " (input is JSON)",)),
        "InvalidExecutionName": Rule(
            "execution_name is not 1-80 characters Step Functions allows in a name",
            REFUSED, (
                "api:MaintenanceWindowStepFunctionsParameters.Name",
                SFN + " (name characters; a name is not reused within 90 days)",
            )),
        "InvalidOrganizationalUnit": Rule(
            "an organizational unit is not an OU id (ou-...) or the organization root id (r-...)",
            REFUSED, (
                "cfn:AWS::CloudFormation::StackSet.StackInstancesGroup",
                "doc:https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html",
            )),
        "InvalidRolloutPreference": Rule(
            "a StackSet rollout preference is out of range: a count, a percentage, or a region_order outside regions",
            REFUSED, ("cfn:AWS::CloudFormation::StackSet.OperationPreferences",)),
        "StackSetTemplateScope": Rule(
            "a PatchingStackSet and its StackSetStack template are in different stacks",
            FAILS, (STACKSETS + " (the StackSet deploys the template of its own stack; synthesis fails otherwise)",)),
        "IamNameCollision": Rule(
            "an IAM resource with a fixed name in a template a StackSet deploys to several Regions of each account",
            FAILS, (IAMQ + " (IAM names are unique in an account, across Regions)",)),
        "TooManyDisabledWindows": Rule(
            "more enabled=False windows in one stack than the policies of one IAM role can name",
            FAILS, (IAMQ + " (role policy size: 10,240 characters in all)",)),
        "QuotaExceeded": Rule(
            "the app would exceed a service quota (windows per Region, tasks or targets per window, targets per task, baselines per Region, resources per stack)",
            REFUSED, ("api:ResourceLimitExceededException", QUOTAS, CFNQ + " (500 resources per template)",)),
        "InvalidQuota": Rule(
            "the mw-constructs:quotas context is not a map of known quota names to raised limits",
            USAGE, ("lib:the mw-constructs:quotas context names known quotas and raised limits",)),
        "InvalidAlarm": Rule(
            "PatchingAlerts alarm options are inconsistent: actions without alarm=True, or a period that is not whole minutes",
            USAGE, (
                "lib:alarm_actions belong to the alarm that alarm=True creates",
                CWPERIOD + " (a period of whole minutes)",
            )),
        "InvalidRunbook": Rule(
            "a Runbook step is empty, not a task, of another window, listed twice, or has its own priority",
            USAGE, ("lib:a Runbook orders tasks of one window, each once",)),
        "InvalidS3Bucket": Rule(
            "the output bucket name is not a valid S3 bucket name",
            REFUSED, ("api:MaintenanceWindowRunCommandParameters.OutputS3BucketName", S3NAMES,)),
        "InvalidS3KeyPrefix": Rule(
            "the output key prefix is longer than 500 characters or has no bucket",
            REFUSED, ("api:MaintenanceWindowRunCommandParameters.OutputS3KeyPrefix",)),
        "InvalidComment": Rule(
            "the comment is longer than 100 characters",
            REFUSED, ("api:MaintenanceWindowRunCommandParameters.Comment",)),
        "InvalidPatchOperation": Rule(
            "operation is not PatchOperation.SCAN or INSTALL",
            USAGE, ("lib:operation takes a PatchOperation", RPB + " (Operation: Scan or Install)",)),
        "InvalidRebootOption": Rule(
            "reboot_option is not RebootOption.REBOOT_IF_NEEDED or NO_REBOOT",
            USAGE, ("lib:reboot_option takes a RebootOption", RPB + " (RebootOption: RebootIfNeeded or NoReboot)",)),
        "InvalidHooks": Rule(
            "PatchHooks without any hook, or hooks with install_override_list / baseline_override",
            FAILS, (
                HOOKS + " (the document has no InstallOverrideList or BaselineOverride parameter)",
                "api:InvalidParameters",
            )),
        "InvalidSnapshotId": Rule(
            "snapshot_id is not a GUID",
            FAILS, (
                RPB + " (SnapshotId is a GUID: another value fails the document's parameter pattern)",
                "api:InvalidParameters",
            )),
        "InvalidOverrideUrl": Rule(
            "install_override_list or baseline_override is not an https:// or s3:// URL of up to 256 characters",
            FAILS, (
                RPB + " (InstallOverrideList and BaselineOverride: https:// or s3:// URLs)",
                "api:InvalidParameters",
            )),
        "InvalidDocumentVersion": Rule(
            "document_version is not $LATEST, $DEFAULT or a version number",
            REFUSED, ("api:MaintenanceWindowRunCommandParameters.DocumentVersion",)),
        "InvalidDocumentHash": Rule(
            "document_hash is not the hex SHA-256 (or SHA-1) of a document, so no document can match it",
            FAILS, (
                "api:MaintenanceWindowRunCommandParameters.DocumentHash",
                "lib:a hash of another length or alphabet matches no document, so every command fails",
            )),
        "OutputConflict": Rule(
            "two outputs of one kind, or output=TaskOutput.s3(...) together with output_s3_bucket",
            USAGE, ("lib:a task has one S3 and one CloudWatch output, given one way",)),
        "InvalidNotifications": Rule(
            "notification events are empty, or ALL is combined with other events",
            USAGE, (
                "lib:TaskNotifications needs events, and ALL stands alone",
                "api:NotificationConfig.NotificationEvents",
            )),
        # patch baselines
        "FilterKeyNotSupported": Rule(
            "a patch filter key the baseline's operating system does not support",
            REFUSED, (FILTER + " (keys valid only for other operating systems)",)),
        "InvalidPatchFilter": Rule(
            "a patch filter is not a key with 1-20 values of 1-64 characters, or there are more than 4",
            REFUSED, ("api:PatchFilter.Values", "api:PatchFilterGroup.PatchFilters",)),
        "TooManyApprovalRules": Rule(
            "a baseline has more than 10 approval rules",
            REFUSED, ("api:PatchRuleGroup.PatchRules",)),
        "ApprovalConflict": Rule(
            "an approval rule has both approve_after_days and approve_until_date",
            REFUSED, (
                "api:PatchRule.ApproveAfterDays",
                "api:PatchRule.ApproveUntilDate",
                "cfn:AWS::SSM::PatchBaseline.ApprovalRules",
            )),
        "ApprovalDelayRequired": Rule(
            "an approval rule (other than Ubuntu/Debian) has neither approve_after_days nor approve_until_date",
            REFUSED, (
                'api:PatchRule.ApproveAfterDays ("your request must include a value for either ApproveAfterDays or ApproveUntilDate")',
            )),
        "ApprovalDelayNotSupported": Rule(
            "an Ubuntu or Debian approval rule has an approval delay or date",
            REFUSED, (
                'api:PatchRule.ApproveAfterDays ("Not supported for Debian Server or Ubuntu Server")',
                "api:PatchRule.ApproveUntilDate",
            )),
        "InvalidApprovalDelay": Rule(
            "approve_after_days is not 0-360, approve_until_date is not a date, or a tier has no delay",
            REFUSED, ("api:PatchRule.ApproveAfterDays", "api:PatchRule.ApproveUntilDate",)),
        "InvalidPatchSource": Rule(
            "a patch source lacks a valid name, 1-20 products or its configuration",
            REFUSED, ("api:PatchSource.Name", "api:PatchSource.Products", "api:PatchSource.Configuration",)),
        "InvalidPatchList": Rule(
            "approved or rejected patches are not a list of at most 50 names of 1-100 characters",
            REFUSED, ("api:CreatePatchBaseline.ApprovedPatches", "api:CreatePatchBaseline.RejectedPatches",)),
        "TooManyPatchGroups": Rule(
            "a baseline serves more than 25 patch groups",
            REFUSED, (QUOTAS + " (patch groups per patch baseline: 25)", "api:ResourceLimitExceededException",)),
        "PatchGroupBaselineConflict": Rule(
            "a patch group gets a second baseline for the same operating system",
            REFUSED, ("api:AlreadyExistsException (a patch group registered with a different baseline)", GROUPS,)),
        # any argument
        "DuplicateId": Rule(
            "a construct id is already taken among its scope's children",
            USAGE, ("lib:aws-cdk-lib refuses a second child with the same id (the constructs library's rule)",)),
        "NotInStack": Rule(
            "a construct that creates resources is given a scope outside any Stack",
            USAGE, ("lib:aws-cdk-lib puts every resource in a Stack; a construct created directly in the App has none",)),
        "NoResource": Rule(
            "apply_removal_policy on an imported window, target or task: this app defines no CloudFormation "
            "resource for it",
            USAGE, ("lib:aws-cdk-lib's Resource.apply_removal_policy refuses a construct without a CfnResource child "
                    "the same way",)),
        "InvalidType": Rule(
            "an argument has the wrong type (e.g. an int where a Duration is expected)",
            USAGE, ("lib:the argument's type (the signature and its docstring)",)),
        "AliasConflict": Rule(
            "an argument and its old, deprecated name are both given (window_name= and name=)",
            USAGE, ("lib:the old keyword is an alias of the new one until 1.0; two values for one argument",)),
        "EventPatternConflict": Rule(
            "an on_* method's event_pattern sets a field the method sets itself (source, detail-type, or a detail "
            "key such as window-id or status: use statuses= for the status)",
            USAGE, ("lib:the method's own pattern and event_pattern are combined with AND; two values for one field "
                    "would replace one of them",)),
        "UnknownArgument": Rule(
            "a keyword argument the construct does not take (the message suggests the closest one)",
            USAGE, ("lib:the construct's keyword arguments",)),
        "DuplicateValue": Rule(
            "a StackSet list (accounts, Regions, organizational units) names the same value twice",
            REFUSED, (
                "cfn:AWS::CloudFormation::StackSet.StackInstancesGroup (Regions, Accounts and OrganizationalUnitIds: uniqueItems)",
            )),
        "RepeatedFilterKey": Rule(
            "a filter group uses one patch filter key twice",
            UNDOCUMENTED, (
                FILTER + " (lists each key once per filter group; a repeated key has no documented meaning)",
            )),
    }
)

#: Every warning id the library can report. Ids are public API: acknowledge them with
#: ``Annotations.of(scope).acknowledge_warning(id, reason)``; never rename one. The first group
#: is computed by the schedule checks (mw_constructs.checks), at synthesis and by
#: ``mw-constructs check``; the second by single constructs.
WARNING_RULES: Mapping[str, Rule] = MappingProxyType(
    {
        # schedule checks
        "mw-constructs:OverlappingStarts": Rule(
            "a window's schedule may start it again while a run is still going; SSM skips a start while the previous execution runs",
            SUSPICIOUS, (
                "api:MaintenanceWindowExecution.Status (SKIPPED_OVERLAPPING)",
                "doc:https://docs.aws.amazon.com/cli/latest/reference/ssm/create-maintenance-window.html (rate(5 minutes) with 2 hours: 'as needed')",
            )),
        "mw-constructs:ProductionBeforeNonProduction": Rule(
            "in some patch cycle a production window opens before every non-production window",
            SUSPICIOUS, (
                "lib:a patch cycle that reaches production before any non-production window tests nothing first",
            )),
        "mw-constructs:PatchGroupWindowsOverlap": Rule(
            "windows of one patch group that do not only scan are open at the same time (one finding per patch group)",
            SUSPICIOUS, (GROUPS, "lib:two installing runs on one instance at once",)),
        "mw-constructs:TimeoutExceedsCutoff": Rule(
            "a task's timeout is longer than the window's cutoff, so it can run past the window's end",
            SUSPICIOUS, (
                "api:CreateMaintenanceWindow.Cutoff",
                "api:RegisterTaskWithMaintenanceWindow.CutoffBehavior",
            )),
        "mw-constructs:FixedOffsetTimeZone": Rule(
            "the time zone is a fixed UTC offset without daylight saving time (e.g. 'EST')",
            SUSPICIOUS, (IANA + " (EST and the Etc/GMT zones have no daylight saving time)",)),
        "mw-constructs:RateWithoutStartDate": Rule(
            "a rate(...) window without start_date takes part in cross-window checks it cannot be placed in",
            SUSPICIOUS, ("api:CreateMaintenanceWindow.StartDate (a rate counts from creation without one)",)),
        "mw-constructs:FollowTheSunOverlap": Rule(
            "follow-the-sun windows of one tier are open at the same time in two Regions",
            SUSPICIOUS, ("lib:follow-the-sun Regions take turns; open at once, they patch together",)),
        "mw-constructs:NumericWeekday": Rule(
            "a cron's day-of-week is written with numbers, which SSM (1 = SUN) and Unix cron (1 = MON) read differently",
            SUSPICIOUS, (CRON + " (1 = SUN ... 7 = SAT)",)),
        "mw-constructs:NoFutureRuns": Rule(
            "the window never opens again: an at(...), end_date or the cron's years are in the past",
            SUSPICIOUS, ("api:CreateMaintenanceWindow.EndDate", SCHED + " (at(): runs once)",)),
        "mw-constructs:CronWrappingRange": Rule(
            "a cron range runs backwards (23-5, FRI-MON): read as Quartz reads it, it is a list of separate starts",
            SUSPICIOUS, (
                CRON + " (ranges are not documented to wrap)",
                "doc:https://www.quartz-scheduler.org/api/2.3.0/org/quartz/CronExpression.html (Quartz reads 23-5 through midnight)",
            )),
        "mw-constructs:LastDayOfWeek": Rule(
            "a bare L in day-of-week, which AWS defines as the last day of the week: Saturday",
            SUSPICIOUS, (CRON + " (L in day-of-week: the last day of the week)",)),
        "mw-constructs:AtWithTimeZone": Rule(
            "a time_zone with at(...), which AWS documents as UTC without saying whether the zone applies",
            SUSPICIOUS, (SCHED + " (at(): a UTC timestamp)", "api:CreateMaintenanceWindow.ScheduleTimezone",)),
        "mw-constructs:InvalidWindow": Rule(
            "(CLI check, error) a synthesized window has a property SSM would reject",
            REFUSED, ("api:CreateMaintenanceWindow (the checks of the constructs, applied to a template's window)",)),
        "mw-constructs:InvalidAssociation": Rule(
            "(CLI check, error) a synthesized association has a schedule State Manager would refuse",
            REFUSED, ("api:CreateAssociation.ScheduleExpression (the association grammar, applied to a template's association)",
                      CRON,)),
        # single constructs
        "mw-constructs:PatchApprovedAndRejected": Rule(
            "a patch is both approved and rejected (SSM rejects it)",
            SUSPICIOUS, (PREDEF + " (a patch in both lists is rejected)",)),
        "mw-constructs:SnapshotIdInWindow": Rule(
            "a fixed snapshot ID is given to a task inside a window",
            SUSPICIOUS, (RPB + " (SnapshotId: one snapshot for a consistent install across runs)",)),
        "mw-constructs:RoleNotModified": Rule(
            "tasks run as an imported role mw-constructs cannot add statements to: one warning per role with all they need",
            SUSPICIOUS, (
                "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-maintenance-permissions.html (what a window's role needs)",
            )),
        "mw-constructs:RunbookRunsAsWindowRole": Rule(
            "an Automation task without AutomationAssumeRole runs a runbook as the task's role, which does not visibly allow what its steps call",
            SUSPICIOUS, (
                "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html (what each step calls)",
                "api:MaintenanceWindowAutomationParameters.Parameters (AutomationAssumeRole)",
            )),
        "mw-constructs:ConcurrencyLimitedByFailureTolerance": Rule(
            "a StackSet's max_concurrent is above failure_tolerance + 1, which CloudFormation never exceeds",
            SUSPICIOUS, (
                "doc:https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html (MaxConcurrentCount is at most FailureToleranceCount + 1)",
            )),
        "mw-constructs:PatchGroupTagKeyNearMiss": Rule(
            "a WindowTarget tag key looks like 'Patch Group' or 'PatchGroup' but is neither",
            SUSPICIOUS, (GROUPS + " (the tag keys 'Patch Group' and 'PatchGroup')",)),
        "mw-constructs:RebootOptionWithScan": Rule(
            "RebootIfNeeded with Operation Scan: a scan never reboots",
            SUSPICIOUS, (RPB + " (Scan never installs, so never reboots)",)),
        "mw-constructs:InstallOptionWithScan": Rule(
            "an install override list or hook documents with Operation Scan, which installs nothing",
            SUSPICIOUS, (RPB + " (InstallOverrideList is ignored by Scan)", HOOKS,)),
        "mw-constructs:LinuxOnlyOption": Rule(
            "non-security updates or patch sources switched on in a Windows or macOS baseline, where they do nothing",
            SUSPICIOUS, (
                "api:CreatePatchBaseline.ApprovedPatchesEnableNonSecurity (Linux only)",
                "api:CreatePatchBaseline.Sources (Linux only)",
            )),
        "mw-constructs:WindowsOnlyOption": Rule(
            "available_security_updates_compliance_status on a baseline that is not Windows, where it does nothing",
            SUSPICIOUS, ("api:CreatePatchBaseline.AvailableSecurityUpdatesComplianceStatus (Windows Server only)",)),
        "mw-constructs:UndocumentedFilterKey": Rule(
            "a patch filter key AWS does not document for the baseline's operating system",
            SUSPICIOUS, (FILTER + " (the keys documented per operating system)",)),
        "mw-constructs:DeprecatedDocumentHash": Rule(
            "a Run Command task pins its document with a SHA-1 hash, which AWS has deprecated",
            SUSPICIOUS, ("api:MaintenanceWindowRunCommandParameters.DocumentHashType (SHA-1 deprecated)",)),
        "mw-constructs:AutomationDefinitionAsCommand": Rule(
            "a Run Command task is given an Automation definition ARN as its document",
            SUSPICIOUS, ("api:SendCommand.DocumentName (a Command document)", DOCS,)),
        "mw-constructs:AssumeRoleNotTrustedBySsm": Rule(
            "an Automation task's assume_role (defined in the app) does not trust ssm.amazonaws.com",
            SUSPICIOUS, (
                "doc:https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-setup-iam.html (the Automation role trusts ssm.amazonaws.com)",
            )),
        "mw-constructs:DuplicateValue": Rule(
            "a list AWS takes with repeats (target values, instance IDs, events, statuses, patch groups) names a value twice",
            SUSPICIOUS, (
                "cfn:AWS::SSM::MaintenanceWindowTarget.Targets (uniqueItems false)",
                "cfn:AWS::SSM::PatchBaseline.PatchGroups",
            )),
        "mw-constructs:UnknownPseudoParameter": Rule(
            "an upper-case {{NAME}} in a task argument that is no maintenance window pseudo parameter (the message suggests the closest)",
            SUSPICIOUS, (PSEUDO + " (the pseudo parameters SSM replaces)",)),
        "mw-constructs:DefaultBaselineConflict": Rule(
            "two baselines of one operating system in an account and Region are made the default",
            SUSPICIOUS, ("api:RegisterDefaultPatchBaseline.BaselineId (one default per operating system)",)),
        "mw-constructs:AssociationRunsAtCreation": Rule(
            "a patch association that installs has no apply_only_at_cron_interval: it installs (and may reboot) as soon as it is deployed",
            SUSPICIOUS, ("api:CreateAssociation.ApplyOnlyAtCronInterval (runs immediately after it is created by default)",)),
        "mw-constructs:PatchedByWindowAndAssociation": Rule(
            "the same nodes (a tag selector, a patch group, all nodes) are patched or scanned by a window task and by an association in one account and Region",
            SUSPICIOUS, (OVERWRITES + " (each scan overwrites the patch compliance data of the previous one)",)),
        "mw-constructs:PatchedByTwoAssociations": Rule(
            "the same nodes are scanned by two patch associations, or patched by two, in one account and Region",
            SUSPICIOUS, (OVERWRITES + " (use only one automated method for scanning and installing)",)),
        "mw-constructs:PatchPolicyWithWindows": Rule(
            "a Quick Setup patch policy and window-based patching in the same account and Region",
            SUSPICIOUS, (OVERWRITES + " (with patch policies, delete or deactivate other methods of scanning)",)),
        "mw-constructs:TagKeyAsTagName": Rule(
            "tags={'tag-key': ...} selects a tag named tag-key; the tag-key selector is tag_keys=[...]",
            SUSPICIOUS, (TARGETS + " (Key=tag-key selects by tag key; Key=tag:<key> by a tag's value)",)),
    }
)

#: Each error code and what it means (a view of ``ERROR_RULES``).
ERROR_CODES: Mapping[str, str] = MappingProxyType({code: rule.meaning for code, rule in ERROR_RULES.items()})
#: Each warning id and what it means (a view of ``WARNING_RULES``).
WARNING_IDS: Mapping[str, str] = MappingProxyType({key: rule.meaning for key, rule in WARNING_RULES.items()})


class ValidationError(ValueError):
    """A value that SSM or CloudFormation would reject, caught at construction time.

    ``code`` is stable public API (see ``ERROR_CODES`` and the docs' "Errors and warnings"): match on it,
    not on the message. The message names the argument as you typed it, quotes the
    value you gave, says what is allowed and how to fix it.
    """

    def __init__(self, code: str, message: str) -> None:
        if code not in ERROR_CODES:  # a library bug, not bad input
            raise AssertionError(f"unregistered ValidationError code {code!r}")
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Advice:
    """A warning a pure rule found (a registered warning id and its message), for a construct to
    report with ``Annotations.of(construct).add_warning_v2(advice.id, advice.message)``."""

    id: str
    message: str

    def __post_init__(self) -> None:
        if self.id not in WARNING_IDS:  # a library bug, not bad input
            raise AssertionError(f"unregistered warning id {self.id!r}")
