"""Correct: RSA-OAEP with SHA-256 for MGF1 and the label hash, as KMS
RSAES_OAEP_SHA_256 expects. Usage: python3 oaep_sha256.py PUBKEY.pem IN OUT"""
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

pem, src, dst = sys.argv[1:4]
with open(pem, "rb") as f:
    pub = serialization.load_pem_public_key(f.read())
with open(src, "rb") as f:
    data = f.read()
ct = pub.encrypt(data, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
with open(dst, "wb") as f:
    f.write(ct)
