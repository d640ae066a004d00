#!/usr/bin/env python3
"""Run the main KMS operations through boto3 against AWS_ENDPOINT_URL.

Every check prints one line (ok/MISMATCH); the script exits 1 if any check
mismatched, 2 if it could not start. Expectations are AWS's documented
behaviour (codes and exact messages), not any implementation's.

Environment: AWS_ENDPOINT_URL (unset: real AWS), AWS_REGION (default
us-east-1) and the standard boto3 credential chain. Keys it creates are
scheduled for deletion (7 days) on exit.
"""

import os
import sys

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding
except ImportError as exc:  # pragma: no cover - environment problem
    print(f"kmsconform: error: {exc}", file=sys.stderr)
    print("kmsconform: hint: pip install boto3 cryptography", file=sys.stderr)
    sys.exit(2)

REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
kms = boto3.client(
    "kms",
    region_name=REGION,
    endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
    config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=10, read_timeout=60),
)

failures = []
created = []


def check(name, cond, detail=""):
    if cond:
        print(f"ok       {name}")
    else:
        print(f"MISMATCH {name}: {detail}")
        failures.append(name)


def expect_error(name, fn, code, message=None):
    """fn() must raise ClientError with code (and exact message if given)."""
    try:
        fn()
    except ClientError as err:
        got = err.response.get("Error", {})
        ok = got.get("Code") == code and (message is None or got.get("Message", "") == message)
        check(name, ok, f"want {code} {message!r}, got {got.get('Code')} {got.get('Message')!r}")
        return
    check(name, False, f"want {code}, the call succeeded")


def new_key(**kw):
    md = kms.create_key(Description="kmsconform boto3 main_ops", **kw)["KeyMetadata"]
    created.append(md["KeyId"])
    return md


def symmetric():
    """Encrypt/Decrypt with context, without KeyId, and their errors."""
    sym = new_key()
    check("CreateKey default is SYMMETRIC_DEFAULT", sym["KeySpec"] == "SYMMETRIC_DEFAULT", sym["KeySpec"])
    ctx = {"purpose": "boto3"}
    enc = kms.encrypt(KeyId=sym["KeyId"], Plaintext=b"hello boto3", EncryptionContext=ctx)
    check("Encrypt KeyId is the key ARN", enc["KeyId"] == sym["Arn"], enc["KeyId"])
    dec = kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext=ctx)
    check("Decrypt without KeyId", dec["Plaintext"] == b"hello boto3" and dec["KeyId"] == sym["Arn"], repr(dec.get("KeyId")))
    expect_error("Decrypt without context -> InvalidCiphertextException, no message",
                 lambda: kms.decrypt(CiphertextBlob=enc["CiphertextBlob"]), "InvalidCiphertextException", "")
    other = new_key()
    expect_error("Decrypt with another KeyId -> IncorrectKeyException",
                 lambda: kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext=ctx, KeyId=other["KeyId"]),
                 "IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")


def aliases():
    """CreateAlias, DescribeKey by alias, ListAliases(KeyId), DeleteAlias."""
    sym = new_key()
    alias = f"alias/kmsconform-boto3-{os.getpid()}"
    kms.create_alias(AliasName=alias, TargetKeyId=sym["KeyId"])
    try:
        desc = kms.describe_key(KeyId=alias)["KeyMetadata"]
        check("DescribeKey by alias", desc["KeyId"] == sym["KeyId"], desc["KeyId"])
        names = [a["AliasName"] for a in kms.list_aliases(KeyId=sym["KeyId"])["Aliases"]]
        check("ListAliases(KeyId)", names == [alias], repr(names))
    finally:
        kms.delete_alias(AliasName=alias)


def data_keys():
    """GenerateDataKey and GenerateDataKeyPair outputs and their blobs."""
    sym = new_key()
    dk = kms.generate_data_key(KeyId=sym["KeyId"], KeySpec="AES_256")
    check("GenerateDataKey AES_256 is 32 bytes", len(dk["Plaintext"]) == 32, len(dk["Plaintext"]))
    check("GenerateDataKey blob decrypts", kms.decrypt(CiphertextBlob=dk["CiphertextBlob"])["Plaintext"] == dk["Plaintext"])
    pair = kms.generate_data_key_pair(KeyId=sym["KeyId"], KeyPairSpec="ECC_NIST_P256")
    priv = serialization.load_der_private_key(pair["PrivateKeyPlaintext"], None)
    pub_der = priv.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    check("GenerateDataKeyPair PKCS#8 matches SPKI", pub_der == pair["PublicKey"])
    check("GenerateDataKeyPair private blob decrypts without KeyId",
          kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])["Plaintext"] == pair["PrivateKeyPlaintext"])


def rsa_oaep():
    """Encrypt locally under GetPublicKey's key, decrypt in KMS; the limit."""
    rsa_key = new_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
    pub = serialization.load_der_public_key(kms.get_public_key(KeyId=rsa_key["KeyId"])["PublicKey"])
    for alg, h in (("RSAES_OAEP_SHA_1", hashes.SHA1()), ("RSAES_OAEP_SHA_256", hashes.SHA256())):
        ct = pub.encrypt(b"k" * 32, padding.OAEP(mgf=padding.MGF1(h), algorithm=h, label=None))
        pt = kms.decrypt(KeyId=rsa_key["KeyId"], CiphertextBlob=ct, EncryptionAlgorithm=alg)["Plaintext"]
        check(f"Decrypt {alg} of local OAEP ciphertext", pt == b"k" * 32)
    expect_error("RSA_2048 SHA-256 191 bytes -> ValidationException",
                 lambda: kms.encrypt(KeyId=rsa_key["KeyId"], Plaintext=b"x" * 191, EncryptionAlgorithm="RSAES_OAEP_SHA_256"),
                 "ValidationException", "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.")


def ecdh():
    """DeriveSharedSecret against a local P-256 key."""
    ka = new_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")
    mine = ec.generate_private_key(ec.SECP256R1())
    kms_pub = serialization.load_der_public_key(kms.get_public_key(KeyId=ka["KeyId"])["PublicKey"])
    want = mine.exchange(ec.ECDH(), kms_pub)
    got = kms.derive_shared_secret(
        KeyId=ka["KeyId"], KeyAgreementAlgorithm="ECDH",
        PublicKey=mine.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
    )["SharedSecret"]
    check("DeriveSharedSecret equals local ECDH", got == want)


def sign_verify():
    """Sign in KMS, verify locally and in KMS."""
    sk = new_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    sig = kms.sign(KeyId=sk["KeyId"], Message=b"msg", MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    spub = serialization.load_der_public_key(kms.get_public_key(KeyId=sk["KeyId"])["PublicKey"])
    try:
        spub.verify(sig, b"msg", ec.ECDSA(hashes.SHA256()))
        check("Sign ECDSA_SHA_256 verifies locally", True)
    except Exception as exc:  # noqa: BLE001 - report any verification failure
        check("Sign ECDSA_SHA_256 verifies locally", False, repr(exc))
    expect_error("Verify of another message -> KMSInvalidSignatureException",
                 lambda: kms.verify(KeyId=sk["KeyId"], Message=b"other", MessageType="RAW", Signature=sig, SigningAlgorithm="ECDSA_SHA_256"),
                 "KMSInvalidSignatureException", "")


def states():
    """Disabled and PendingDeletion keys refuse Encrypt with AWS's texts."""
    sym = new_key()
    kms.disable_key(KeyId=sym["KeyId"])
    expect_error("Encrypt on a disabled key -> DisabledException",
                 lambda: kms.encrypt(KeyId=sym["KeyId"], Plaintext=b"x"), "DisabledException", f"{sym['Arn']} is disabled.")
    kms.schedule_key_deletion(KeyId=sym["KeyId"], PendingWindowInDays=7)
    created.remove(sym["KeyId"])
    expect_error("Encrypt on a key pending deletion -> KMSInvalidStateException",
                 lambda: kms.encrypt(KeyId=sym["KeyId"], Plaintext=b"x"), "KMSInvalidStateException", f"{sym['Arn']} is pending deletion.")


def random_bytes():
    """GenerateRandom at its upper bound."""
    check("GenerateRandom 1024", len(kms.generate_random(NumberOfBytes=1024)["Plaintext"]) == 1024)


SECTIONS = (symmetric, aliases, data_keys, rsa_oaep, ecdh, sign_verify, states, random_bytes)


def main():
    for section in SECTIONS:
        try:
            section()
        except Exception as err:  # noqa: BLE001 - any error is a mismatch of that section
            msg = str(err).splitlines()[0] if str(err) else repr(err)
            print(f"MISMATCH {section.__name__}: unexpected error: {msg}")
            failures.append(section.__name__)


if __name__ == "__main__":
    try:
        main()
    finally:
        for key_id in created:
            try:
                kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
            except ClientError:
                pass
    if failures:
        print(f"{len(failures)} mismatch(es)", file=sys.stderr)
        sys.exit(1)
    print("all checks passed")
