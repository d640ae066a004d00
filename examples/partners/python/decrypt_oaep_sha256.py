#!/usr/bin/env python3
"""Correct consumer of a KMS data key pair (pyca/cryptography): reads the
PKCS#8 private key and decrypts RSAES_OAEP_SHA_256.

usage: decrypt_oaep_sha256.py PRIVKEY_PEM IN OUT
"""
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

key_pem, ct_in, out = sys.argv[1:4]
with open(key_pem, "rb") as f:
    key = serialization.load_pem_private_key(f.read(), password=None)
with open(ct_in, "rb") as f:
    ct = f.read()
pt = key.decrypt(ct, padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
with open(out, "wb") as f:
    f.write(pt)
