from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.cancel_video_api_v1_video_job_job_id_delete_response_cancel_video_api_v1_video_job_job_id_delete import CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete
from ...models.http_validation_error import HTTPValidationError
from typing import cast



def _get_kwargs(
    job_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/video/job/{job_id}".format(job_id=quote(str(job_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete.from_dict(response.json())



        return response_200

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 409:
        response_409 = cast(Any, None)
        return response_409

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError]:
    """ Cancel Video

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError]
     """


    kwargs = _get_kwargs(
        job_id=job_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    job_id: str,
    *,
    client: AuthenticatedClient,

) -> Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError | None:
    """ Cancel Video

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError
     """


    return sync_detailed(
        job_id=job_id,
client=client,

    ).parsed

async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError]:
    """ Cancel Video

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError]
     """


    kwargs = _get_kwargs(
        job_id=job_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient,

) -> Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError | None:
    """ Cancel Video

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete | HTTPValidationError
     """


    return (await asyncio_detailed(
        job_id=job_id,
client=client,

    )).parsed
