from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.http_validation_error import HTTPValidationError
from ...models.job_details_v1_jobs_job_id_details_get_response_job_details_v1_jobs_job_id_details_get import JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet
from typing import cast



def _get_kwargs(
    job_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs/{job_id}/details".format(job_id=quote(str(job_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet | None:
    if response.status_code == 200:
        response_200 = JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet.from_dict(response.json())



        return response_200

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet]:
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

) -> Response[Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet]:
    """ Job Details

     A job with its elements and processing timeline.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet]
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

) -> Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet | None:
    """ Job Details

     A job with its elements and processing timeline.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet
     """


    return sync_detailed(
        job_id=job_id,
client=client,

    ).parsed

async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet]:
    """ Job Details

     A job with its elements and processing timeline.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet]
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

) -> Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet | None:
    """ Job Details

     A job with its elements and processing timeline.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HTTPValidationError | JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet
     """


    return (await asyncio_detailed(
        job_id=job_id,
client=client,

    )).parsed
