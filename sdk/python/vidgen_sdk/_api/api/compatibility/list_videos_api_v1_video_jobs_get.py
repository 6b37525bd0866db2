from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.http_validation_error import HTTPValidationError
from ...models.list_videos_api_v1_video_jobs_get_response_list_videos_api_v1_video_jobs_get import ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet
from ...models.list_videos_api_v1_video_jobs_get_status_type_0 import ListVideosApiV1VideoJobsGetStatusType0
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    status: ListVideosApiV1VideoJobsGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListVideosApiV1VideoJobsGetStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["limit"] = limit

    params["offset"] = offset


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/video/jobs",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet | None:
    if response.status_code == 200:
        response_200 = ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListVideosApiV1VideoJobsGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,

) -> Response[HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet]:
    """ List Videos

    Args:
        status (ListVideosApiV1VideoJobsGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet]
     """


    kwargs = _get_kwargs(
        status=status,
limit=limit,
offset=offset,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    status: ListVideosApiV1VideoJobsGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,

) -> HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet | None:
    """ List Videos

    Args:
        status (ListVideosApiV1VideoJobsGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet
     """


    return sync_detailed(
        client=client,
status=status,
limit=limit,
offset=offset,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListVideosApiV1VideoJobsGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,

) -> Response[HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet]:
    """ List Videos

    Args:
        status (ListVideosApiV1VideoJobsGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet]
     """


    kwargs = _get_kwargs(
        status=status,
limit=limit,
offset=offset,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListVideosApiV1VideoJobsGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,

) -> HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet | None:
    """ List Videos

    Args:
        status (ListVideosApiV1VideoJobsGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet
     """


    return (await asyncio_detailed(
        client=client,
status=status,
limit=limit,
offset=offset,

    )).parsed
