#!/usr/bin/env python3
"""ECDH partner tool that applies HKDF-SHA256 (no salt, no info, 32 bytes)
to Z: right when the agreed secret is that KDF (--kdf hkdf-sha256::),
wrong where the raw Z was agreed.

usage: ecdh_hkdf.py KMS_PUBKEY_PEM PUBKEY_OUT SECRET_OUT
"""
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

kms_pem, pub_out, secret_out = sys.argv[1:4]
with open(kms_pem, "rb") as f:
    kms_pub = serialization.load_pem_public_key(f.read())
priv = ec.generate_private_key(kms_pub.curve)
z = priv.exchange(ec.ECDH(), kms_pub)
key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"").derive(z)
with open(pub_out, "wb") as f:
    f.write(priv.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
with open(secret_out, "wb") as f:
    f.write(key)
