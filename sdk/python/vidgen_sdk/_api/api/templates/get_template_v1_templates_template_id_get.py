from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.get_template_v1_templates_template_id_get_response_get_template_v1_templates_template_id_get import GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    template_id: str,
    *,
    version: int | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_version: int | None | Unset
    if isinstance(version, Unset):
        json_version = UNSET
    else:
        json_version = version
    params["version"] = json_version


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/templates/{template_id}".format(template_id=quote(str(template_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    template_id: str,
    *,
    client: AuthenticatedClient,
    version: int | None | Unset = UNSET,

) -> Response[Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError]:
    """ Get Template

     A template's version (the latest by default): composition and merge fields.

    Args:
        template_id (str):
        version (int | None | Unset): a version (default: the latest)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError]
     """


    kwargs = _get_kwargs(
        template_id=template_id,
version=version,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    template_id: str,
    *,
    client: AuthenticatedClient,
    version: int | None | Unset = UNSET,

) -> Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError | None:
    """ Get Template

     A template's version (the latest by default): composition and merge fields.

    Args:
        template_id (str):
        version (int | None | Unset): a version (default: the latest)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError
     """


    return sync_detailed(
        template_id=template_id,
client=client,
version=version,

    ).parsed

async def asyncio_detailed(
    template_id: str,
    *,
    client: AuthenticatedClient,
    version: int | None | Unset = UNSET,

) -> Response[Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError]:
    """ Get Template

     A template's version (the latest by default): composition and merge fields.

    Args:
        template_id (str):
        version (int | None | Unset): a version (default: the latest)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError]
     """


    kwargs = _get_kwargs(
        template_id=template_id,
version=version,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    template_id: str,
    *,
    client: AuthenticatedClient,
    version: int | None | Unset = UNSET,

) -> Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError | None:
    """ Get Template

     A template's version (the latest by default): composition and merge fields.

    Args:
        template_id (str):
        version (int | None | Unset): a version (default: the latest)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet | HTTPValidationError
     """


    return (await asyncio_detailed(
        template_id=template_id,
client=client,
version=version,

    )).parsed
