"""The CloudFormation User Guide's maintenance window target: instances tagged ENV=DEV."""

from mw_constructs import PatchingWindow, WindowTarget
from tests.corpus.support import Refusal

SOURCE = ("examples.json", "cloudformation")
PLACEHOLDERS = {'"WindowId": "MaintenanceWindow"': '"WindowId": "mw-0123456789abcdef0"'}
REFUSED = [
    Refusal("the text MaintenanceWindow as a window ID",
            lambda stack: PatchingWindow.from_window_id(stack, "W", "MaintenanceWindow"), "InvalidWindowId",
            request=("RegisterTargetWithMaintenanceWindow", {"WindowId": "MaintenanceWindow", "ResourceType": "INSTANCE",
                                                             "Targets": [{"Key": "tag:ENV", "Values": ["DEV"]}]})),
]


def build(stack):
    window = PatchingWindow.from_window_id(stack, "Window", "mw-0123456789abcdef0")
    return {"Example1MaintenanceWindowTarget": WindowTarget(
        stack, "Dev", window=window, tags={"ENV": "DEV"}, owner_information="SSM Step Function Demo",
        target_name="SSMStepFunctionDemo", description="A target for demonstrating maintenance windows and step functions")}
