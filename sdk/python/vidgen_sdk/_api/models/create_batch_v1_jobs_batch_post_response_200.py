from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.create_batch_v1_jobs_batch_post_response_200_results_item import CreateBatchV1JobsBatchPostResponse200ResultsItem





T = TypeVar("T", bound="CreateBatchV1JobsBatchPostResponse200")



@_attrs_define
class CreateBatchV1JobsBatchPostResponse200:
    """ 
        Attributes:
            results (list[CreateBatchV1JobsBatchPostResponse200ResultsItem] | Unset):
     """

    results: list[CreateBatchV1JobsBatchPostResponse200ResultsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.create_batch_v1_jobs_batch_post_response_200_results_item import CreateBatchV1JobsBatchPostResponse200ResultsItem # noqa: PLC0415
        results: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = []
            for results_item_data in self.results:
                results_item = results_item_data.to_dict()
                results.append(results_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if results is not UNSET:
            field_dict["results"] = results

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_batch_v1_jobs_batch_post_response_200_results_item import CreateBatchV1JobsBatchPostResponse200ResultsItem # noqa: PLC0415
        d = dict(src_dict)
        _results = d.pop("results", UNSET)
        results: list[CreateBatchV1JobsBatchPostResponse200ResultsItem] | Unset = UNSET
        if _results is not UNSET:
            results = []
            for results_item_data in _results:
                results_item = CreateBatchV1JobsBatchPostResponse200ResultsItem.from_dict(results_item_data)



                results.append(results_item)


        create_batch_v1_jobs_batch_post_response_200 = cls(
            results=results,
        )


        create_batch_v1_jobs_batch_post_response_200.additional_properties = d
        return create_batch_v1_jobs_batch_post_response_200

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
