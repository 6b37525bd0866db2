from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.job import Job
from ...models.preview_problems import PreviewProblems
from ...models.preview_v1_preview_post_format import PreviewV1PreviewPostFormat
from ...models.template_job import TemplateJob
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: Job | TemplateJob,
    time: float | None | Unset = UNSET,
    from_: float | None | Unset = UNSET,
    to: float | None | Unset = UNSET,
    scale: float | Unset = 1.0,
    fps: float | None | Unset = UNSET,
    format_: PreviewV1PreviewPostFormat | Unset = PreviewV1PreviewPostFormat.PNG,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    params: dict[str, Any] = {}

    json_time: float | None | Unset
    if isinstance(time, Unset):
        json_time = UNSET
    else:
        json_time = time
    params["time"] = json_time

    json_from_: float | None | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: float | None | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    params["scale"] = scale

    json_fps: float | None | Unset
    if isinstance(fps, Unset):
        json_fps = UNSET
    else:
        json_fps = fps
    params["fps"] = json_fps

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/preview",
        "params": params,
    }

    
    if isinstance(body, Job):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | PreviewProblems | None:
    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 413:
        response_413 = cast(Any, None)
        return response_413

    if response.status_code == 415:
        response_415 = cast(Any, None)
        return response_415

    if response.status_code == 422:
        response_422 = PreviewProblems.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = cast(Any, None)
        return response_429

    if response.status_code == 502:
        response_502 = cast(Any, None)
        return response_502

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if response.status_code == 504:
        response_504 = cast(Any, None)
        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | PreviewProblems]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: Job | TemplateJob,
    time: float | None | Unset = UNSET,
    from_: float | None | Unset = UNSET,
    to: float | None | Unset = UNSET,
    scale: float | Unset = 1.0,
    fps: float | None | Unset = UNSET,
    format_: PreviewV1PreviewPostFormat | Unset = PreviewV1PreviewPostFormat.PNG,

) -> Response[Any | PreviewProblems]:
    """ Preview

     Render one frame (`time`) or a short clip (`from`-`to`, at most
    VIDGEN_MAX_PREVIEW_SECONDS) of a job, at `scale` of its size; nothing is stored.

    Args:
        time (float | None | Unset): seconds: render the frame shown then
        from_ (float | None | Unset): seconds: a clip from
        to (float | None | Unset): seconds: a clip up to
        scale (float | Unset): of the canvas size, in (0, 1] Default: 1.0.
        fps (float | None | Unset): a clip's frame rate (default: the job's)
        format_ (PreviewV1PreviewPostFormat | Unset): a frame's format Default:
            PreviewV1PreviewPostFormat.PNG.
        body (Job | TemplateJob):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PreviewProblems]
     """


    kwargs = _get_kwargs(
        body=body,
time=time,
from_=from_,
to=to,
scale=scale,
fps=fps,
format_=format_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: Job | TemplateJob,
    time: float | None | Unset = UNSET,
    from_: float | None | Unset = UNSET,
    to: float | None | Unset = UNSET,
    scale: float | Unset = 1.0,
    fps: float | None | Unset = UNSET,
    format_: PreviewV1PreviewPostFormat | Unset = PreviewV1PreviewPostFormat.PNG,

) -> Any | PreviewProblems | None:
    """ Preview

     Render one frame (`time`) or a short clip (`from`-`to`, at most
    VIDGEN_MAX_PREVIEW_SECONDS) of a job, at `scale` of its size; nothing is stored.

    Args:
        time (float | None | Unset): seconds: render the frame shown then
        from_ (float | None | Unset): seconds: a clip from
        to (float | None | Unset): seconds: a clip up to
        scale (float | Unset): of the canvas size, in (0, 1] Default: 1.0.
        fps (float | None | Unset): a clip's frame rate (default: the job's)
        format_ (PreviewV1PreviewPostFormat | Unset): a frame's format Default:
            PreviewV1PreviewPostFormat.PNG.
        body (Job | TemplateJob):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PreviewProblems
     """


    return sync_detailed(
        client=client,
body=body,
time=time,
from_=from_,
to=to,
scale=scale,
fps=fps,
format_=format_,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: Job | TemplateJob,
    time: float | None | Unset = UNSET,
    from_: float | None | Unset = UNSET,
    to: float | None | Unset = UNSET,
    scale: float | Unset = 1.0,
    fps: float | None | Unset = UNSET,
    format_: PreviewV1PreviewPostFormat | Unset = PreviewV1PreviewPostFormat.PNG,

) -> Response[Any | PreviewProblems]:
    """ Preview

     Render one frame (`time`) or a short clip (`from`-`to`, at most
    VIDGEN_MAX_PREVIEW_SECONDS) of a job, at `scale` of its size; nothing is stored.

    Args:
        time (float | None | Unset): seconds: render the frame shown then
        from_ (float | None | Unset): seconds: a clip from
        to (float | None | Unset): seconds: a clip up to
        scale (float | Unset): of the canvas size, in (0, 1] Default: 1.0.
        fps (float | None | Unset): a clip's frame rate (default: the job's)
        format_ (PreviewV1PreviewPostFormat | Unset): a frame's format Default:
            PreviewV1PreviewPostFormat.PNG.
        body (Job | TemplateJob):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PreviewProblems]
     """


    kwargs = _get_kwargs(
        body=body,
time=time,
from_=from_,
to=to,
scale=scale,
fps=fps,
format_=format_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: Job | TemplateJob,
    time: float | None | Unset = UNSET,
    from_: float | None | Unset = UNSET,
    to: float | None | Unset = UNSET,
    scale: float | Unset = 1.0,
    fps: float | None | Unset = UNSET,
    format_: PreviewV1PreviewPostFormat | Unset = PreviewV1PreviewPostFormat.PNG,

) -> Any | PreviewProblems | None:
    """ Preview

     Render one frame (`time`) or a short clip (`from`-`to`, at most
    VIDGEN_MAX_PREVIEW_SECONDS) of a job, at `scale` of its size; nothing is stored.

    Args:
        time (float | None | Unset): seconds: render the frame shown then
        from_ (float | None | Unset): seconds: a clip from
        to (float | None | Unset): seconds: a clip up to
        scale (float | Unset): of the canvas size, in (0, 1] Default: 1.0.
        fps (float | None | Unset): a clip's frame rate (default: the job's)
        format_ (PreviewV1PreviewPostFormat | Unset): a frame's format Default:
            PreviewV1PreviewPostFormat.PNG.
        body (Job | TemplateJob):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PreviewProblems
     """


    return (await asyncio_detailed(
        client=client,
body=body,
time=time,
from_=from_,
to=to,
scale=scale,
fps=fps,
format_=format_,

    )).parsed
