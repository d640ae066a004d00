#!/usr/bin/env python3
"""Correct ECDH partner tool (pyca/cryptography): a fresh key on the KMS
key's curve, its public key as DER SubjectPublicKeyInfo, the raw Z.

usage: ecdh_raw.py KMS_PUBKEY_PEM PUBKEY_OUT SECRET_OUT
"""
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

kms_pem, pub_out, secret_out = sys.argv[1:4]
with open(kms_pem, "rb") as f:
    kms_pub = serialization.load_pem_public_key(f.read())
priv = ec.generate_private_key(kms_pub.curve)
z = priv.exchange(ec.ECDH(), kms_pub)
with open(pub_out, "wb") as f:
    f.write(priv.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
with open(secret_out, "wb") as f:
    f.write(z)
