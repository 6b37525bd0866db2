from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.create_batch_v1_jobs_batch_post_response_200_results_item_status import CreateBatchV1JobsBatchPostResponse200ResultsItemStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.batch_problem import BatchProblem





T = TypeVar("T", bound="CreateBatchV1JobsBatchPostResponse200ResultsItem")



@_attrs_define
class CreateBatchV1JobsBatchPostResponse200ResultsItem:
    """ 
        Attributes:
            index (int): the job's place in `jobs`
            status (CreateBatchV1JobsBatchPostResponse200ResultsItemStatus):
            code (int | Unset): a rejection: 422 invalid, 429 over the quota
            errors (list[BatchProblem] | Unset):
            job_id (UUID | Unset):
            job_status (str | Unset): the job's own status (`pending`...)
            status_url (str | Unset):
            warnings (list[BatchProblem] | Unset):
     """

    index: int
    status: CreateBatchV1JobsBatchPostResponse200ResultsItemStatus
    code: int | Unset = UNSET
    errors: list[BatchProblem] | Unset = UNSET
    job_id: UUID | Unset = UNSET
    job_status: str | Unset = UNSET
    status_url: str | Unset = UNSET
    warnings: list[BatchProblem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_problem import BatchProblem # noqa: PLC0415
        index = self.index

        status = self.status.value

        code = self.code

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)



        job_id: str | Unset = UNSET
        if not isinstance(self.job_id, Unset):
            job_id = str(self.job_id)

        job_status = self.job_status

        status_url = self.status_url

        warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = []
            for warnings_item_data in self.warnings:
                warnings_item = warnings_item_data.to_dict()
                warnings.append(warnings_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "index": index,
            "status": status,
        })
        if code is not UNSET:
            field_dict["code"] = code
        if errors is not UNSET:
            field_dict["errors"] = errors
        if job_id is not UNSET:
            field_dict["job_id"] = job_id
        if job_status is not UNSET:
            field_dict["job_status"] = job_status
        if status_url is not UNSET:
            field_dict["status_url"] = status_url
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_problem import BatchProblem # noqa: PLC0415
        d = dict(src_dict)
        index = d.pop("index")

        status = CreateBatchV1JobsBatchPostResponse200ResultsItemStatus(d.pop("status"))




        code = d.pop("code", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[BatchProblem] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = BatchProblem.from_dict(errors_item_data)



                errors.append(errors_item)


        _job_id = d.pop("job_id", UNSET)
        job_id: UUID | Unset
        if isinstance(_job_id,  Unset):
            job_id = UNSET
        else:
            job_id = UUID(_job_id)




        job_status = d.pop("job_status", UNSET)

        status_url = d.pop("status_url", UNSET)

        _warnings = d.pop("warnings", UNSET)
        warnings: list[BatchProblem] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = BatchProblem.from_dict(warnings_item_data)



                warnings.append(warnings_item)


        create_batch_v1_jobs_batch_post_response_200_results_item = cls(
            index=index,
            status=status,
            code=code,
            errors=errors,
            job_id=job_id,
            job_status=job_status,
            status_url=status_url,
            warnings=warnings,
        )


        create_batch_v1_jobs_batch_post_response_200_results_item.additional_properties = d
        return create_batch_v1_jobs_batch_post_response_200_results_item

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
