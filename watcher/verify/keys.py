"""The watch's signing key (Ed25519): kept like the web app's secret key, never in sources.yml.

`signing_key(workspace)`: $WATCHER_SIGNING_KEY (the PEM text, or the 32-byte private key in
base64) when set, else a key generated once into `watch-signing.key` (PEM, mode 0600) beside the
store. The public key is what an evaluator needs to check a file (`public_pem`, `watcher verify
--public-key`); its fingerprint (`fingerprint`) names the key in every manifest, so a file signed
by another watch's key is recognised as such.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import stat
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from watcher.verify.errors import SigningKeyError
from watcher.workspace import Workspace, create_whole

log = logging.getLogger(__name__)

KEY_FILE = "watch-signing.key"
KEY_ENV = "WATCHER_SIGNING_KEY"


def key_path(workspace: Workspace) -> Path:
    return workspace.db.parent / KEY_FILE


def signing_key(workspace: Workspace) -> Ed25519PrivateKey:
    """The watch's private key: from the environment, else from (or first into) its file."""
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        return _private_from_text(from_env, KEY_ENV)
    path = key_path(workspace)
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was readable by others (%o): now 0600", path, mode)
        path.chmod(0o600)
    return _private_from_text(path.read_text(encoding="ascii", errors="replace"), str(path))


def _create(path: Path) -> None:
    """A new key, written whole under a temporary name then linked into place: two processes
    that start together keep the first key, and a crash leaves no half-written key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    create_whole(path, pem)  # another process made it first: its key


def _private_from_text(text: str, where: str) -> Ed25519PrivateKey:
    text = text.strip().replace("\\n", "\n")
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_")
            key = Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, TypeError, UnsupportedAlgorithm, binascii.Error):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(
            f"{where} ne contient pas de clé de signature Ed25519 lisible : une clé PEM "
            "(openssl genpkey -algorithm ed25519) ou 32 octets en base64. Sans elle, aucun "
            "dossier ne peut être signé."
        )
    return key


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as PEM text (what `watcher verify --public-key` prints)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(data: bytes, where: str) -> Ed25519PublicKey:
    """A public key given by an evaluator (PEM as exported by `watcher verify --public-key`)."""
    try:
        key = serialization.load_pem_public_key(data.strip())
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(
            f"{where} n'est pas une clé publique Ed25519 au format PEM : demandez à l'école le "
            "fichier produit par `watcher verify --public-key`."
        )
    return key


def fingerprint(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """16 hexadecimal digits of the SHA-256 of the raw public key, in groups of four."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))
