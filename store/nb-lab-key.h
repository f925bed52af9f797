/* nb-lab-key.h: the laboratory's Ed25519 key pair (libsodium crypto_sign_*), with which issued
 * certificates and the audit trail's checkpoints are signed, and with which a customer checks them
 * without access to the laboratory's database.
 *
 * Files (outside the database, so that a copy of the database alone cannot forge a signature):
 *   secret key  base64 of the 32-byte Ed25519 seed and a newline; mode 0600, owned by the user,
 *               a regular file with one link. Default $XDG_DATA_HOME/needlebench/lab.key.
 *   public key  base64 of the 32-byte public key and a newline, beside the secret key with the
 *               extension ".pub" (lab.pub). nb_lab_key_load_public also accepts a file holding
 *               the 32 raw bytes, so a customer may be given either form.
 * A detached signature is the base64 of the 64-byte Ed25519 signature (RFC 8032). The key id is
 * the first 16 hex digits of the SHA-256 of the 32-byte public key. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NB_LAB_KEY_ERROR (nb_lab_key_error_quark ())
GQuark nb_lab_key_error_quark (void);

typedef enum
{
  NB_LAB_KEY_ERROR_IO,            /* a key file or its directory cannot be read or written */
  NB_LAB_KEY_ERROR_PERMISSIONS,   /* the secret key file is readable by group/other, or not ours */
  NB_LAB_KEY_ERROR_NOT_REGULAR,   /* the path is a symlink, directory, FIFO, device... */
  NB_LAB_KEY_ERROR_INVALID,       /* a key file or signature is not in the expected format */
  NB_LAB_KEY_ERROR_BAD_SIGNATURE, /* the signature does not verify with this key */
  NB_LAB_KEY_ERROR_CRYPTO,        /* libsodium cannot be initialised */
} NbLabKeyError;

#define NB_LAB_KEY_PUBLIC_BYTES 32
#define NB_LAB_KEY_SEED_BYTES 32
#define NB_LAB_KEY_SIGNATURE_BYTES 64

typedef struct _NbLabKey NbLabKey;

/* nb_lab_key_default_path: (transfer full) $XDG_DATA_HOME/needlebench/lab.key. */
char *nb_lab_key_default_path (void);

/* nb_lab_key_public_path: (transfer full) the public key file beside the secret key file
 * @secret_path: its ".key" extension replaced by ".pub" (or ".pub" appended). */
char *nb_lab_key_public_path (const char *secret_path);

/* nb_lab_key_load_or_create: (transfer full) loads the key pair from the secret key file @path,
 * or creates it on first use: missing directories are made 0700, a fresh seed is written to a
 * 0600 temporary file in the same directory and moved into place without ever replacing a file
 * (a concurrent creator wins and its key is loaded), and the public key is written beside it
 * (nb_lab_key_public_path) when that file is missing. Never follows a symlink at @path. Fails with
 * NB_LAB_KEY_ERROR_NOT_REGULAR for a symlink or other non-regular file (or one with several hard
 * links), _PERMISSIONS for a file readable or writable by group/other or owned by someone else,
 * _INVALID for a damaged file, _IO otherwise. */
NbLabKey *nb_lab_key_load_or_create (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_lab_key_load_public: (transfer full) a verify-only key from a public key file (base64 text
 * or 32 raw bytes), as a customer holds it. Symlinks are followed here: the file is not secret. */
NbLabKey *nb_lab_key_load_public (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_lab_key_new_from_seed: (transfer full) the key pair derived from a 32-byte seed (RFC 8032
 * "secret key"); for tests and for keys kept elsewhere. NULL only if libsodium cannot start. */
NbLabKey *nb_lab_key_new_from_seed (const guint8 seed[NB_LAB_KEY_SEED_BYTES], GError **error);

/* nb_lab_key_new_public: (transfer full) a verify-only key from the 32 bytes of a public key. */
NbLabKey *nb_lab_key_new_public (const guint8 pk[NB_LAB_KEY_PUBLIC_BYTES], GError **error);

/* nb_lab_key_write_public: writes @key's public key (base64 and a newline) to @path, mode 0644,
 * through a temporary file; replaces an existing regular file, never a symlink or other
 * non-regular file. */
gboolean nb_lab_key_write_public (NbLabKey *key, const char *path,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_lab_key_get_public: the 32 bytes of the public key (owned by @key). */
const guint8 *nb_lab_key_get_public (NbLabKey *key);

/* nb_lab_key_get_public_base64: (transfer full) the public key in base64. */
char *nb_lab_key_get_public_base64 (NbLabKey *key);

/* nb_lab_key_has_secret: whether @key can sign (FALSE for a key from a public key file). */
gboolean nb_lab_key_has_secret (NbLabKey *key);

/* nb_lab_key_id: (transfer full) the first 16 hex digits of SHA-256 (public key). */
char *nb_lab_key_id (NbLabKey *key);

/* nb_lab_key_sign: (transfer full) the base64 of the detached Ed25519 signature of @len bytes at
 * @data; NULL when @key has no secret key (nb_lab_key_has_secret). */
char *nb_lab_key_sign (NbLabKey *key, const void *data, gsize len) G_GNUC_WARN_UNUSED_RESULT;

/* nb_lab_key_verify: whether @sig_b64 is @key's signature of the @len bytes at @data. FALSE with
 * NB_LAB_KEY_ERROR_INVALID when @sig_b64 is not the base64 of 64 bytes, _BAD_SIGNATURE when it
 * does not verify (the data changed, or another key signed it). */
gboolean nb_lab_key_verify (NbLabKey *key, const void *data, gsize len, const char *sig_b64,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_lab_key_free: wipes the secret key from memory and frees @key; NULL is fine. */
void nb_lab_key_free (NbLabKey *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbLabKey, nb_lab_key_free)

G_END_DECLS
