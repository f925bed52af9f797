/* nb-lab-key.c: the laboratory's Ed25519 key pair (see nb-lab-key.h). */
#include "nb-lab-key.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nb-file-output.h"

G_DEFINE_QUARK (nb - lab - key - error - quark, nb_lab_key_error)

struct _NbLabKey
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  gboolean has_secret;
};

/* A key file is a line of base64; anything larger is not one of ours. */
#define KEY_FILE_MAX 4096

G_STATIC_ASSERT (NB_LAB_KEY_PUBLIC_BYTES == crypto_sign_PUBLICKEYBYTES);
G_STATIC_ASSERT (NB_LAB_KEY_SEED_BYTES == crypto_sign_SEEDBYTES);
G_STATIC_ASSERT (NB_LAB_KEY_SIGNATURE_BYTES == crypto_sign_BYTES);

static gboolean
sodium_ready (GError **error)
{
  static gsize once = 0;
  static int result = -1;
  if (g_once_init_enter (&once))
    {
      result = sodium_init ();
      g_once_init_leave (&once, 1);
    }
  if (result < 0)
    {
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_CRYPTO,
                   "libsodium cannot be initialised");
      return FALSE;
    }
  return TRUE;
}

/* decode_base64_exact: decodes @text (surrounding whitespace ignored) into exactly @len bytes.
 * g_base64_decode skips invalid characters silently, so the alphabet and padding are checked
 * first: a damaged key or signature must not decode to something else. */
static gboolean
decode_base64_exact (const char *text, guint8 *out, gsize len)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gsize n = strlen (copy);
  if (n == 0 || n % 4 != 0)
    return FALSE;
  gsize pad = 0;
  while (pad < 2 && copy[n - 1 - pad] == '=')
    pad++;
  for (gsize i = 0; i < n - pad; i++)
    if (!g_ascii_isalnum (copy[i]) && copy[i] != '+' && copy[i] != '/')
      return FALSE;
  gsize got = 0;
  g_autofree guint8 *bytes = g_base64_decode (copy, &got);
  if (got != len)
    return FALSE;
  memcpy (out, bytes, len);
  sodium_memzero (bytes, got);
  return TRUE;
}

char *
nb_lab_key_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "needlebench", "lab.key", NULL);
}

char *
nb_lab_key_public_path (const char *secret_path)
{
  if (g_str_has_suffix (secret_path, ".key"))
    {
      g_autofree char *stem = g_strndup (secret_path, strlen (secret_path) - 4);
      return g_strconcat (stem, ".pub", NULL);
    }
  return g_strconcat (secret_path, ".pub", NULL);
}

NbLabKey *
nb_lab_key_new_from_seed (const guint8 seed[NB_LAB_KEY_SEED_BYTES], GError **error)
{
  if (!sodium_ready (error))
    return NULL;
  NbLabKey *key = g_new0 (NbLabKey, 1);
  crypto_sign_seed_keypair (key->pk, key->sk, seed);
  key->has_secret = TRUE;
  return key;
}

NbLabKey *
nb_lab_key_new_public (const guint8 pk[NB_LAB_KEY_PUBLIC_BYTES], GError **error)
{
  if (!sodium_ready (error))
    return NULL;
  NbLabKey *key = g_new0 (NbLabKey, 1);
  memcpy (key->pk, pk, sizeof key->pk);
  return key;
}

void
nb_lab_key_free (NbLabKey *key)
{
  if (key == NULL)
    return;
  sodium_memzero (key->sk, sizeof key->sk);
  g_free (key);
}

/* read_secret_file: reads the secret key file without following a link, after checking that
 * nobody else can read or change it. Returns the content, or NULL with errno-like ENOENT kept in
 * @missing so that the caller creates the key. */
static char *
read_secret_file (const char *path, gboolean *missing, GError **error)
{
  *missing = FALSE;
  int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      int e = errno;
      if (e == ENOENT)
        {
          *missing = TRUE;
          return NULL;
        }
      if (e == ELOOP)
        g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_NOT_REGULAR,
                     "laboratory key %s is a symbolic link; refusing to use it", path);
      else
        g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                     "cannot open the laboratory key %s: %s", path, g_strerror (e));
      return NULL;
    }
  struct stat st;
  if (fstat (fd, &st) != 0)
    {
      int e = errno;
      close (fd);
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                   "cannot stat the laboratory key %s: %s", path, g_strerror (e));
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || st.st_nlink != 1)
    {
      close (fd);
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_NOT_REGULAR,
                   "laboratory key %s is not a regular file with a single link; refusing to "
                   "use it",
                   path);
      return NULL;
    }
  if ((st.st_mode & 077) != 0 || st.st_uid != geteuid ())
    {
      close (fd);
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_PERMISSIONS,
                   "laboratory secret key %s has mode %04o (owner uid %u): it must be readable "
                   "only by its owner (chmod 600 %s)",
                   path, (unsigned) (st.st_mode & 07777), (unsigned) st.st_uid, path);
      return NULL;
    }
  char *buf = g_malloc0 (KEY_FILE_MAX + 1);
  gsize got = 0;
  while (got < KEY_FILE_MAX)
    {
      ssize_t r = read (fd, buf + got, KEY_FILE_MAX - got);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int e = errno;
          close (fd);
          sodium_memzero (buf, KEY_FILE_MAX);
          g_free (buf);
          g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                       "cannot read the laboratory key %s: %s", path, g_strerror (e));
          return NULL;
        }
      if (r == 0)
        break;
      got += (gsize) r;
    }
  close (fd);
  return buf;
}

/* create_secret_file: writes a fresh seed to a 0600 temporary file next to @path and moves it
 * into place without replacing anything. FALSE with @exists set when another file appeared at
 * @path meanwhile (the caller then loads that one). */
static gboolean
create_secret_file (const char *path, gboolean *exists, GError **error)
{
  *exists = FALSE;
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int e = errno;
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                   "cannot create the directory %s for the laboratory key: %s", dir,
                   g_strerror (e));
      return FALSE;
    }
  guint8 seed[crypto_sign_SEEDBYTES];
  randombytes_buf (seed, sizeof seed);
  g_autofree char *b64 = g_base64_encode (seed, sizeof seed);
  sodium_memzero (seed, sizeof seed);
  g_autofree char *line = g_strconcat (b64, "\n", NULL);
  sodium_memzero (b64, strlen (b64));

  g_autofree char *tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int e = errno;
      sodium_memzero (line, strlen (line));
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                   "cannot create the laboratory key in %s: %s", dir, g_strerror (e));
      return FALSE;
    }
  gsize len = strlen (line);
  gboolean ok = fchmod (fd, 0600) == 0 && write (fd, line, len) == (ssize_t) len && fsync (fd) == 0;
  int e = errno;
  sodium_memzero (line, len);
  if (close (fd) != 0 && ok)
    {
      ok = FALSE;
      e = errno;
    }
  if (!ok)
    {
      g_unlink (tmp);
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                   "cannot write the laboratory key %s: %s", tmp, g_strerror (e));
      return FALSE;
    }
  /* RENAME_NOREPLACE (or link, on file systems without it) never replaces what is at @path:
   * a key that exists is never overwritten, and a symlink planted there is not followed. */
  int r = renameat2 (AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
  if (r != 0 && (errno == EINVAL || errno == ENOSYS))
    {
      r = link (tmp, path);
      int le = errno;
      g_unlink (tmp);
      errno = le;
    }
  if (r != 0)
    {
      e = errno;
      g_unlink (tmp);
      if (e == EEXIST)
        {
          *exists = TRUE;
          return FALSE;
        }
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                   "cannot move the laboratory key into place at %s: %s", path, g_strerror (e));
      return FALSE;
    }
  int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0)
    {
      (void) fsync (dfd); /* best effort: the key is in place either way */
      close (dfd);
    }
  return TRUE;
}

NbLabKey *
nb_lab_key_load_or_create (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  if (!sodium_ready (error))
    return NULL;
  gboolean missing = FALSE;
  g_autofree char *text = read_secret_file (path, &missing, error);
  if (text == NULL && !missing)
    return NULL;
  if (missing)
    {
      gboolean exists = FALSE;
      if (!create_secret_file (path, &exists, error) && !exists)
        return NULL;
      text = read_secret_file (path, &missing, error);
      if (text == NULL)
        {
          if (missing)
            g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                         "the laboratory key %s vanished while it was created", path);
          return NULL;
        }
    }
  guint8 seed[crypto_sign_SEEDBYTES];
  gboolean ok = decode_base64_exact (text, seed, sizeof seed);
  sodium_memzero (text, strlen (text));
  if (!ok)
    {
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_INVALID,
                   "laboratory key %s is damaged: not the base64 of a 32-byte Ed25519 seed", path);
      return NULL;
    }
  g_autoptr (NbLabKey) key = nb_lab_key_new_from_seed (seed, error);
  sodium_memzero (seed, sizeof seed);
  if (key == NULL)
    return NULL;

  g_autofree char *pub = nb_lab_key_public_path (path);
  struct stat st;
  if (lstat (pub, &st) != 0 && errno == ENOENT && !nb_lab_key_write_public (key, pub, error))
    return NULL;
  return g_steal_pointer (&key);
}

NbLabKey *
nb_lab_key_load_public (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                   "cannot read the laboratory public key: %s", local->message);
      return NULL;
    }
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  if (len == sizeof pk)
    memcpy (pk, contents, sizeof pk);
  else if (len > KEY_FILE_MAX || !decode_base64_exact (contents, pk, sizeof pk))
    {
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_INVALID,
                   "%s is not an Ed25519 public key (32 bytes, raw or in base64)", path);
      return NULL;
    }
  return nb_lab_key_new_public (pk, error);
}

gboolean
nb_lab_key_write_public (NbLabKey *key, const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (NbFileOutput) out = nb_file_output_open (path, NB_FILE_OUTPUT_FORCE, &local);
  if (out == NULL)
    {
      g_set_error (error, NB_LAB_KEY_ERROR,
                   g_error_matches (local, NB_STORE_ERROR, NB_STORE_ERROR_NOT_REGULAR)
                       ? NB_LAB_KEY_ERROR_NOT_REGULAR
                       : NB_LAB_KEY_ERROR_IO,
                   "cannot write the laboratory public key: %s", local->message);
      return FALSE;
    }
  FILE *f = nb_file_output_get_stream (out);
  g_autofree char *b64 = nb_lab_key_get_public_base64 (key);
  /* the public key is meant to be handed out: readable by all, unlike the 0600 temporary file */
  if (fchmod (fileno (f), 0644) != 0 || fprintf (f, "%s\n", b64) < 0)
    {
      int e = errno;
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                   "cannot write the laboratory public key %s: %s", path, g_strerror (e));
      return FALSE;
    }
  if (!nb_file_output_commit (g_steal_pointer (&out), &local))
    {
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_IO,
                   "cannot write the laboratory public key: %s", local->message);
      return FALSE;
    }
  return TRUE;
}

const guint8 *
nb_lab_key_get_public (NbLabKey *key)
{
  return key->pk;
}

char *
nb_lab_key_get_public_base64 (NbLabKey *key)
{
  return g_base64_encode (key->pk, sizeof key->pk);
}

gboolean
nb_lab_key_has_secret (NbLabKey *key)
{
  return key->has_secret;
}

char *
nb_lab_key_id (NbLabKey *key)
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, key->pk, sizeof key->pk);
  return g_strndup (hex, 16);
}

char *
nb_lab_key_sign (NbLabKey *key, const void *data, gsize len)
{
  if (!key->has_secret)
    return NULL;
  guint8 sig[crypto_sign_BYTES];
  crypto_sign_detached (sig, NULL, data, len, key->sk);
  return g_base64_encode (sig, sizeof sig);
}

gboolean
nb_lab_key_verify (NbLabKey *key, const void *data, gsize len, const char *sig_b64, GError **error)
{
  guint8 sig[crypto_sign_BYTES];
  if (sig_b64 == NULL || !decode_base64_exact (sig_b64, sig, sizeof sig))
    {
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_INVALID,
                   "the signature is not the base64 of a 64-byte Ed25519 signature");
      return FALSE;
    }
  if (crypto_sign_verify_detached (sig, data, len, key->pk) != 0)
    {
      g_autofree char *id = nb_lab_key_id (key);
      g_set_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_BAD_SIGNATURE,
                   "the signature does not verify with the laboratory key %s: the data were "
                   "changed or another key signed them",
                   id);
      return FALSE;
    }
  return TRUE;
}
