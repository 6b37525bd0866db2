from enum import StrEnum

class ListJobsV1JobsGetStatusType0(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    FAILED = "failed"
    PENDING = "pending"
    PROCESSING = "processing"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return str(self.value)
