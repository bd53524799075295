"""The one exception type the library raises for bad input, and the registries of its error
codes and warning ids (both public API: match on them, never on message text)."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["ERROR_CODES", "WARNING_IDS", "Advice", "ValidationError"]

# Every code ValidationError can carry, with what it means. Codes are public API:
# never rename one; add new ones here (the README table is checked against this).
ERROR_CODES = MappingProxyType(
    {
        # schedule: expression form
        "ScheduleSyntax": "the schedule is not cron(...), rate(...) or at(...), or is longer than 256 characters",
        "CronFieldCount": "a cron needs 6 fields (or 7 with leading seconds) separated by single spaces",
        "CronSyntax": "a cron field is not made of values, names and , - * / (or ? in a day field)",
        "CronValueOutOfRange": "a cron value is outside its field's range (e.g. hour 24, day-of-week 0, #6)",
        "CronDaysConflict": "both day-of-month and day-of-week are set: one must be ?",
        "CronDaysMissing": "both day-of-month and day-of-week are ?: exactly one must be",
        "CronUnsupportedForm": "L-n or LW in day-of-month, several n#k, or L/W/# inside a list",
        "CronTooFrequent": "the cron can open windows less than 5 minutes apart",
        "CronNeverRuns": "the fixed day does not exist in any selected month (e.g. 30 FEB)",
        "RateSyntax": "the rate is not rate(N minute(s)|hour(s)|day(s)) with N a positive whole number",
        "RateUnitNumber": "the rate unit must be singular for 1 and plural above 1",
        "RateTooFrequent": "the rate is below 5 minutes",
        "AtSyntax": "at(...) is not yyyy-mm-ddThh:mm:ss of a real date, or has sub-second precision",
        "ScheduleOffsetRange": "schedule_offset is not a whole number of days from 1 to 6",
        "ScheduleOffsetNotCron": "schedule_offset is used with rate(...) or at(...)",
        "UnknownTimeZone": "time_zone is not an IANA zone name (names are case-sensitive)",
        "InvalidRegion": "a Region is not an AWS Region name such as eu-west-1",
        "RegionWithoutTimeZone": "a follow-the-sun schedule is used in a Region its RegionalTimeZones has no zone for",
        "RegionalSchedule": "runs were asked of a follow-the-sun schedule without naming a Region (use in_region)",
        "NaiveDate": "a date has no time zone",
        "EndNotAfterStart": "end_date is not after start_date",
        "UnresolvedSchedule": "runs were asked of a schedule that is an unresolved CDK token",
        # window
        "DurationRange": "duration is not 1 to 24 hours",
        "CutoffRange": "cutoff is not 0 to 23 hours",
        "CutoffNotBelowDuration": "cutoff is not less than duration, so no task could start",
        "NotWholeHours": "duration or cutoff is not a whole number of hours",
        "InvalidWindowId": "an imported window ID is not mw- followed by 17 hex digits",
        "InvalidWindowArn": "an imported window ARN is not arn:<partition>:ssm:<region>:<account>:maintenancewindow/mw-...",
        "InvalidTargetId": "an imported window target ID is not a 36-character UUID",
        "InvalidName": "a name is not 3-128 characters of a-z A-Z 0-9 _ - .",
        "InvalidDescription": "a description is not 1-128 characters",
        "InvalidTag": "a tag key or value is empty, too long, uses aws: or a character AWS rejects",
        # targets
        "TargetSelector": "a WindowTarget needs exactly one of tags, instance_ids, resource_group",
        "TooManyTagPairs": "a tag target has more than 5 key-value pairs",
        "InvalidInstanceId": "an instance ID is not i-(8 or 17 hex) or mi-(17 hex), or the list is empty",
        "TooManyInstanceIds": "more than 50 instance IDs",
        "InvalidResourceGroup": "a resource group is not a group name or ARN",
        "InvalidResourceTypeFilter": "a resource type filter is not like AWS::EC2::Instance",
        "InvalidOwnerInformation": "owner_information is not 1-128 characters",
        "InvalidPatchGroup": "a patch group name is not 1-256 allowed characters, or starts or ends with a space",
        "InvalidPatchGroupTagKey": "the patch group tag key is not exactly 'Patch Group' or 'PatchGroup'",
        # tasks
        "TaskWithoutTargets": "a task that needs targets (Run Command) has neither targets nor instance_ids",
        "TaskTargetsConflict": "a task has both targets and instance_ids",
        "TargetOfOtherWindow": "a task lists a target registered with another window",
        "UnassociatedTargetsNotAllowed": "instance_ids on a window without allow_unassociated_targets",
        "RateControlRequired": "max_concurrency or max_errors is missing on a task with targets",
        "RateControlWithoutTargets": "max_concurrency or max_errors on a task without targets (SSM rejects both there)",
        "ServiceLinkedRoleConflict": "service_linked_role=True together with role=: a task runs as one or the other",
        "InvalidMaxConcurrency": "max_concurrency does not match the API pattern (1+, 1%-100%)",
        "InvalidMaxErrors": "max_errors does not match the API pattern (0+, 0%-100%)",
        "InvalidPriority": "priority is not a whole number of 0 or more",
        "InvalidTimeout": "timeout is not 30 seconds to 30 days in whole seconds",
        "InvalidDocument": "a document is not a valid SSM document name or ARN",
        "WrongDocumentType": "a document of one type (Command, Automation) is given to a task that runs another",
        "UnknownDocumentParameter": "a parameter a catalogued AWS document does not have (the message suggests the closest)",
        "InvalidDocumentParameter": "a value a catalogued AWS document's parameter does not accept, or several for a one-value parameter",
        "MissingDocumentParameter": "a required parameter of a catalogued AWS document is missing",
        "InvalidParameters": "document parameters are not name -> string(s), or break the API's limits on names, values and counts",
        "UnsupportedPseudoParameter": "a pseudo parameter where SSM does not fill it: {{TARGET_ID}}/{{RESOURCE_ID}} in Run Command, a per-target one in a task without targets, {{LOGGING_S3_*}}",
        "UnknownPseudoParameter": "an upper-case {{NAME}} that is no maintenance window pseudo parameter (the message suggests the closest)",
        "AssumeRoleConflict": "assume_role= and an AutomationAssumeRole parameter are both given",
        "InvalidFunction": "function is not a lambda_.IFunction, a function name or a function ARN",
        "InvalidQualifier": "qualifier is not a version or alias of 1-128 characters, or the function is already qualified",
        "InvalidPayload": "a Lambda payload or client context is not JSON, or is too long (4,096 bytes; 8,000 characters encoded)",
        "InvalidStateMachine": "state_machine is not an sfn.IStateMachine or a state machine ARN",
        "InvalidExecutionInput": "a Step Functions input is not JSON, or is longer than 4,096 characters",
        "InvalidExecutionName": "execution_name is not 1-80 characters Step Functions allows in a name",
        "InvalidOrganizationalUnit": "an organizational unit is not an OU id (ou-...) or the organization root id (r-...)",
        "InvalidRolloutPreference": "a StackSet rollout preference is out of range: a count, a percentage, or a region_order outside regions",
        "IamNameCollision": "an IAM resource with a fixed name in a template a StackSet deploys to several Regions of each account",
        "AssetInStackSet": "a construct that needs a file asset in a StackSet template created without asset buckets",
        "QuotaExceeded": "the app would exceed a service quota (windows per Region, tasks or targets per window, targets per task, baselines per Region, resources per stack)",
        "InvalidQuota": "the mw-constructs:quotas context is not a map of known quota names to raised limits",
        "InvalidAlarm": "PatchingAlerts alarm options are inconsistent: actions without alarm=True, or a period that is not whole minutes",
        "InvalidRunbook": "a Runbook step is empty, not a task, of another window, listed twice, or has its own priority",
        "InvalidS3Bucket": "the output bucket name is not a valid S3 bucket name",
        "InvalidS3KeyPrefix": "the output key prefix is longer than 500 characters or has no bucket",
        "InvalidComment": "the comment is longer than 100 characters",
        "InvalidPatchOperation": "operation is not PatchOperation.SCAN or INSTALL",
        "InvalidRebootOption": "reboot_option is not RebootOption.REBOOT_IF_NEEDED or NO_REBOOT",
        "InvalidHooks": "PatchHooks without any hook, or hooks with install_override_list / baseline_override",
        "InvalidSnapshotId": "snapshot_id is not a GUID",
        "InvalidOverrideUrl": "install_override_list or baseline_override is not an https:// or s3:// URL of up to 256 characters",
        "InvalidDocumentVersion": "document_version is not $LATEST, $DEFAULT or a version number",
        "InvalidDocumentHash": "document_hash is not the hex SHA-256 (or SHA-1) of a document, so no document can match it",
        "OutputConflict": "two outputs of one kind, or output=TaskOutput.s3(...) together with output_s3_bucket",
        "InvalidNotifications": "notification events are empty, or ALL is combined with other events",
        # patch baselines
        "FilterKeyNotSupported": "a patch filter key the baseline's operating system does not support",
        "InvalidPatchFilter": "a patch filter is not a key with 1-20 values of 1-64 characters, or there are more than 4",
        "TooManyApprovalRules": "a baseline has more than 10 approval rules",
        "ApprovalConflict": "an approval rule has both approve_after_days and approve_until_date",
        "ApprovalDelayRequired": "an approval rule (other than Ubuntu/Debian) has neither approve_after_days nor approve_until_date",
        "ApprovalDelayNotSupported": "an Ubuntu or Debian approval rule has an approval delay or date",
        "InvalidApprovalDelay": "approve_after_days is not 0-360, approve_until_date is not a date, or a tier has no delay",
        "InvalidPatchSource": "a patch source lacks a valid name, 1-20 products or its configuration",
        "InvalidPatchList": "approved or rejected patches are not a list of at most 50 names of 1-100 characters",
        "TooManyPatchGroups": "a baseline serves more than 25 patch groups",
        "PatchGroupBaselineConflict": "a patch group gets a second baseline for the same operating system",
        "DefaultBaselineConflict": "two baselines of one operating system are made the default",
        # any argument
        "InvalidType": "an argument has the wrong type (e.g. an int where a Duration is expected)",
        "UnknownArgument": "a keyword argument the construct does not take (the message suggests the closest one)",
        "DuplicateValue": "a StackSet list (accounts, Regions, organizational units) names the same value twice",
        "RepeatedFilterKey": "a filter group uses one patch filter key twice",
    }
)


# Every warning id the library can report, with what it means. Ids are public API: acknowledge
# them with Annotations.of(scope).acknowledge_warning(id, reason); never rename one. The
# first group is computed by the schedule checks (mw_constructs.checks), at synthesis and by
# ``mw-constructs check``; the second by single constructs.
WARNING_IDS = MappingProxyType(
    {
        # schedule checks
        "mw-constructs:OverlappingStarts": "a window's schedule may start it again while a run is still going; SSM skips a start while the previous execution runs",
        "mw-constructs:ProductionBeforeNonProduction": "in some patch cycle a production window opens before every non-production window",
        "mw-constructs:PatchGroupWindowsOverlap": "windows of one patch group that do not only scan are open at the same time (one finding per patch group)",
        "mw-constructs:TimeoutExceedsCutoff": "a task's timeout is longer than the window's cutoff, so it can run past the window's end",
        "mw-constructs:FixedOffsetTimeZone": "the time zone is a fixed UTC offset without daylight saving time (e.g. 'EST')",
        "mw-constructs:RateWithoutStartDate": "a rate(...) window without start_date takes part in cross-window checks it cannot be placed in",
        "mw-constructs:FollowTheSunOverlap": "follow-the-sun windows of one tier are open at the same time in two Regions",
        "mw-constructs:NumericWeekday": "a cron's day-of-week is written with numbers, which SSM (1 = SUN) and Unix cron (1 = MON) read differently",
        "mw-constructs:NoFutureRuns": "the window never opens again: an at(...), end_date or the cron's years are in the past",
        "mw-constructs:CronWrappingRange": "a cron range runs backwards (23-5, FRI-MON): read as Quartz reads it, it is a list of separate starts",
        "mw-constructs:LastDayOfWeek": "a bare L in day-of-week, which AWS defines as the last day of the week: Saturday",
        "mw-constructs:AtWithTimeZone": "a time_zone with at(...), which AWS documents as UTC without saying whether the zone applies",
        "mw-constructs:InvalidWindow": "(CLI check, error) a synthesized window has a property SSM would reject",
        # single constructs
        "mw-constructs:PatchApprovedAndRejected": "a patch is both approved and rejected (SSM rejects it)",
        "mw-constructs:SnapshotIdInWindow": "a fixed snapshot ID is given to a task inside a window",
        "mw-constructs:RoleNotModified": "tasks run as an imported role mw-constructs cannot add statements to: one warning per role with all they need",
        "mw-constructs:RunbookRunsAsWindowRole": "an Automation task without AutomationAssumeRole runs a runbook as the task's role, which does not visibly allow what its steps call",
        "mw-constructs:ConcurrencyLimitedByFailureTolerance": "a StackSet's max_concurrent is above failure_tolerance + 1, which CloudFormation never exceeds",
        "mw-constructs:PatchGroupTagKeyNearMiss": "a WindowTarget tag key looks like 'Patch Group' or 'PatchGroup' but is neither",
        "mw-constructs:RebootOptionWithScan": "RebootIfNeeded with Operation Scan: a scan never reboots",
        "mw-constructs:InstallOptionWithScan": "an install override list or hook documents with Operation Scan, which installs nothing",
        "mw-constructs:LinuxOnlyOption": "non-security updates or patch sources switched on in a Windows or macOS baseline, where they do nothing",
        "mw-constructs:WindowsOnlyOption": "available_security_updates_compliance_status on a baseline that is not Windows, where it does nothing",
        "mw-constructs:UndocumentedFilterKey": "a patch filter key AWS does not document for the baseline's operating system",
        "mw-constructs:DeprecatedDocumentHash": "a Run Command task pins its document with a SHA-1 hash, which AWS has deprecated",
        "mw-constructs:AutomationDefinitionAsCommand": "a Run Command task is given an Automation definition ARN as its document",
        "mw-constructs:AssumeRoleNotTrustedBySsm": "an Automation task's assume_role (defined in the app) does not trust ssm.amazonaws.com",
        "mw-constructs:DuplicateValue": "a list AWS takes with repeats (target values, instance IDs, events, statuses, patch groups) names a value twice",
        "mw-constructs:TagKeyAsTagName": "tags={'tag-key': ...} selects a tag named tag-key; the tag-key selector is tag_keys=[...]",
    }
)


class ValidationError(ValueError):
    """A value that SSM or CloudFormation would reject, caught at construction time.

    ``code`` is stable public API (see ``ERROR_CODES`` and the README): match on it,
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
