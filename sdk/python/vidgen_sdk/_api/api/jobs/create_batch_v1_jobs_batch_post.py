from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.create_batch_v1_jobs_batch_post_body import CreateBatchV1JobsBatchPostBody
from ...models.create_batch_v1_jobs_batch_post_response_200 import CreateBatchV1JobsBatchPostResponse200
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: CreateBatchV1JobsBatchPostBody,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/jobs/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | CreateBatchV1JobsBatchPostResponse200 | None:
    if response.status_code == 200:
        response_200 = CreateBatchV1JobsBatchPostResponse200.from_dict(response.json())



        return response_200

    if response.status_code == 413:
        response_413 = cast(Any, None)
        return response_413

    if response.status_code == 415:
        response_415 = cast(Any, None)
        return response_415

    if response.status_code == 422:
        response_422 = cast(Any, None)
        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | CreateBatchV1JobsBatchPostResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateBatchV1JobsBatchPostBody,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Any | CreateBatchV1JobsBatchPostResponse200]:
    """ Create Batch

     Create up to VIDGEN_MAX_BATCH jobs (1,000) at once: `{"jobs": [job, ...]}`, each job
    as the body of `POST /v1/jobs` (its `idempotency_key` in the job). Every job is checked
    and counted against the quota like a request of its own; one bad job rejects only
    itself. The batch does not wait for its jobs, whatever their `response`.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateBatchV1JobsBatchPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CreateBatchV1JobsBatchPostResponse200]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: CreateBatchV1JobsBatchPostBody,
    idempotency_key: None | str | Unset = UNSET,

) -> Any | CreateBatchV1JobsBatchPostResponse200 | None:
    """ Create Batch

     Create up to VIDGEN_MAX_BATCH jobs (1,000) at once: `{"jobs": [job, ...]}`, each job
    as the body of `POST /v1/jobs` (its `idempotency_key` in the job). Every job is checked
    and counted against the quota like a request of its own; one bad job rejects only
    itself. The batch does not wait for its jobs, whatever their `response`.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateBatchV1JobsBatchPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CreateBatchV1JobsBatchPostResponse200
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateBatchV1JobsBatchPostBody,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Any | CreateBatchV1JobsBatchPostResponse200]:
    """ Create Batch

     Create up to VIDGEN_MAX_BATCH jobs (1,000) at once: `{"jobs": [job, ...]}`, each job
    as the body of `POST /v1/jobs` (its `idempotency_key` in the job). Every job is checked
    and counted against the quota like a request of its own; one bad job rejects only
    itself. The batch does not wait for its jobs, whatever their `response`.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateBatchV1JobsBatchPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | CreateBatchV1JobsBatchPostResponse200]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateBatchV1JobsBatchPostBody,
    idempotency_key: None | str | Unset = UNSET,

) -> Any | CreateBatchV1JobsBatchPostResponse200 | None:
    """ Create Batch

     Create up to VIDGEN_MAX_BATCH jobs (1,000) at once: `{"jobs": [job, ...]}`, each job
    as the body of `POST /v1/jobs` (its `idempotency_key` in the job). Every job is checked
    and counted against the quota like a request of its own; one bad job rejects only
    itself. The batch does not wait for its jobs, whatever their `response`.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateBatchV1JobsBatchPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | CreateBatchV1JobsBatchPostResponse200
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
