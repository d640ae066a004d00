#!/usr/bin/env python3
"""Correct key-material wrapping tool for RSA_AES_KEY_WRAP_SHA_256
(pyca/cryptography): RSA-OAEP-SHA-256(aes_key) || AES-KWP(aes_key, material).

usage: wrap_kwp.py WRAPPING_PUBKEY_DER MATERIAL_IN OUT
"""
import os
import sys

from cryptography.hazmat.primitives import hashes, keywrap, serialization
from cryptography.hazmat.primitives.asymmetric import padding

pub_der, material_in, out = sys.argv[1:4]
with open(pub_der, "rb") as f:
    pub = serialization.load_der_public_key(f.read())
with open(material_in, "rb") as f:
    material = f.read()
aes_key = os.urandom(32)
wrapped_key = pub.encrypt(aes_key, padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
with open(out, "wb") as f:
    f.write(wrapped_key + keywrap.aes_key_wrap_with_padding(aes_key, material))
