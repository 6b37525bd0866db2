"""Generation of the SDKs (sdk/python, sdk/typescript): `python3 -m sdk.generate`."""
