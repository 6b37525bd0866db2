from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.cancel_job_v1_jobs_job_id_delete_response_cancel_job_v1_jobs_job_id_delete import CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete
from ...models.http_validation_error import HTTPValidationError
from typing import cast



def _get_kwargs(
    job_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/jobs/{job_id}".format(job_id=quote(str(job_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError]:
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

) -> Response[Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError]:
    """ Cancel Job

     Cancel a pending or processing job (its render is stopped).

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError]
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

) -> Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError | None:
    """ Cancel Job

     Cancel a pending or processing job (its render is stopped).

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError
     """


    return sync_detailed(
        job_id=job_id,
client=client,

    ).parsed

async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError]:
    """ Cancel Job

     Cancel a pending or processing job (its render is stopped).

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError]
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

) -> Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError | None:
    """ Cancel Job

     Cancel a pending or processing job (its render is stopped).

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete | HTTPValidationError
     """


    return (await asyncio_detailed(
        job_id=job_id,
client=client,

    )).parsed
