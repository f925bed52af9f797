/* test-lab-key.c: the laboratory's Ed25519 key (store/nb-lab-key.h). */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nb-lab-key.h"

/* RFC 8032 §7.1 TEST 1: the secret key (seed), its public key and the signature of the empty
 * message. */
static const char rfc8032_seed[]
    = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char rfc8032_public[]
    = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
static const char rfc8032_signature[]
    = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701c"
      "f9b46bd25bf5f0595bbe24655141438e7a100b";

static void
from_hex (const char *hex, guint8 *out, gsize len)
{
  g_assert_cmpuint (strlen (hex), ==, 2 * len);
  for (gsize i = 0; i < len; i++)
    out[i]
        = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
}

static char *
to_hex (const guint8 *bytes, gsize len)
{
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02x", bytes[i]);
  return g_string_free (s, FALSE);
}

static char *
make_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("nb-lab-key-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_rfc8032_vector (void)
{
  guint8 seed[NB_LAB_KEY_SEED_BYTES];
  from_hex (rfc8032_seed, seed, sizeof seed);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbLabKey) key = nb_lab_key_new_from_seed (seed, &error);
  g_assert_no_error (error);
  g_autofree char *pk_hex = to_hex (nb_lab_key_get_public (key), NB_LAB_KEY_PUBLIC_BYTES);
  g_assert_cmpstr (pk_hex, ==, rfc8032_public);

  g_autofree char *sig = nb_lab_key_sign (key, "", 0);
  g_assert_nonnull (sig);
  gsize n = 0;
  g_autofree guint8 *raw = g_base64_decode (sig, &n);
  g_assert_cmpuint (n, ==, NB_LAB_KEY_SIGNATURE_BYTES);
  g_autofree char *sig_hex = to_hex (raw, n);
  g_assert_cmpstr (sig_hex, ==, rfc8032_signature);
  g_assert_true (nb_lab_key_verify (key, "", 0, sig, &error));
  g_assert_no_error (error);

  /* the key id: first 16 hex digits of SHA-256 of the 32 public key bytes */
  g_autofree char *full
      = g_compute_checksum_for_data (G_CHECKSUM_SHA256, nb_lab_key_get_public (key), 32);
  g_autofree char *id = nb_lab_key_id (key);
  g_assert_cmpuint (strlen (id), ==, 16);
  g_assert_true (strncmp (id, full, 16) == 0);
}

static void
test_create_reload_sign (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sub", "lab.key", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NbLabKey) key = nb_lab_key_load_or_create (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_true (nb_lab_key_has_secret (key));

  struct stat st;
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_autofree char *sub = g_path_get_dirname (path);
  g_assert_cmpint (stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  /* no temporary file left behind: the directory holds the key and the public key only */
  g_autoptr (GDir) d = g_dir_open (sub, 0, NULL);
  guint count = 0;
  while (g_dir_read_name (d) != NULL)
    count++;
  g_assert_cmpuint (count, ==, 2);

  g_autoptr (NbLabKey) again = nb_lab_key_load_or_create (path, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (nb_lab_key_get_public (key), 32, nb_lab_key_get_public (again), 32);

  const char msg[] = "needlebench certificate NB-2026-000001";
  g_autofree char *sig = nb_lab_key_sign (key, msg, sizeof msg - 1);
  g_assert_true (nb_lab_key_verify (again, msg, sizeof msg - 1, sig, &error));
  g_assert_no_error (error);

  /* one flipped byte of the data, then of the signature, fails */
  char changed[sizeof msg];
  memcpy (changed, msg, sizeof msg);
  changed[10] ^= 0x01;
  g_assert_false (nb_lab_key_verify (key, changed, sizeof msg - 1, sig, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  gsize n = 0;
  g_autofree guint8 *raw = g_base64_decode (sig, &n);
  raw[5] ^= 0x80;
  g_autofree char *bad = g_base64_encode (raw, n);
  g_assert_false (nb_lab_key_verify (key, msg, sizeof msg - 1, bad, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  g_assert_false (nb_lab_key_verify (key, msg, sizeof msg - 1, "not base64!", &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_INVALID);
  g_clear_error (&error);

  /* another key does not verify it */
  g_autofree char *other_path = g_build_filename (dir, "other.key", NULL);
  g_autoptr (NbLabKey) other = nb_lab_key_load_or_create (other_path, &error);
  g_assert_no_error (error);
  g_assert_false (nb_lab_key_verify (other, msg, sizeof msg - 1, sig, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  /* the public key written beside it: verify-only */
  g_autofree char *pub = nb_lab_key_public_path (path);
  g_assert_true (g_str_has_suffix (pub, "/lab.pub"));
  g_autoptr (NbLabKey) public_only = nb_lab_key_load_public (pub, &error);
  g_assert_no_error (error);
  g_assert_false (nb_lab_key_has_secret (public_only));
  g_assert_null (nb_lab_key_sign (public_only, msg, sizeof msg - 1));
  g_assert_true (nb_lab_key_verify (public_only, msg, sizeof msg - 1, sig, &error));
  g_assert_no_error (error);
  g_autofree char *id1 = nb_lab_key_id (key);
  g_autofree char *id2 = nb_lab_key_id (public_only);
  g_assert_cmpstr (id1, ==, id2);

  /* the raw 32-byte form of the public key is accepted too */
  g_autofree char *raw_pub = g_build_filename (dir, "raw.pub", NULL);
  g_assert_true (
      g_file_set_contents (raw_pub, (const char *) nb_lab_key_get_public (key), 32, NULL));
  g_autoptr (NbLabKey) from_raw = nb_lab_key_load_public (raw_pub, &error);
  g_assert_no_error (error);
  g_assert_true (nb_lab_key_verify (from_raw, msg, sizeof msg - 1, sig, &error));
  /* and a file that is neither is refused */
  g_assert_true (g_file_set_contents (raw_pub, "hello\n", -1, NULL));
  g_assert_null (nb_lab_key_load_public (raw_pub, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_INVALID);
  g_clear_error (&error);

  /* write_public elsewhere, then refuse to write through a symlink */
  g_autofree char *copy = g_build_filename (dir, "copy.pub", NULL);
  g_assert_true (nb_lab_key_write_public (key, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_autofree char *link_pub = g_build_filename (dir, "link.pub", NULL);
  g_assert_cmpint (symlink (copy, link_pub), ==, 0);
  g_assert_false (nb_lab_key_write_public (key, link_pub, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_NOT_REGULAR);
  g_clear_error (&error);

  remove_tree (dir);
}

static void
test_refuse_readable (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "lab.key", NULL);
  g_autoptr (GError) error = NULL;
  {
    g_autoptr (NbLabKey) key = nb_lab_key_load_or_create (path, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (chmod (path, 0644), ==, 0);
  g_autoptr (NbLabKey) key = nb_lab_key_load_or_create (path, &error);
  g_assert_null (key);
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_PERMISSIONS);
  g_assert_nonnull (strstr (error->message, "0644"));
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);
  g_assert_cmpint (chmod (path, 0640), ==, 0);
  g_assert_null (nb_lab_key_load_or_create (path, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_PERMISSIONS);
  g_clear_error (&error);

  /* a damaged key file is reported, not replaced */
  g_assert_cmpint (chmod (path, 0600), ==, 0);
  g_assert_true (g_file_set_contents (path, "AAAA\n", -1, NULL));
  g_assert_cmpint (chmod (path, 0600), ==, 0);
  g_assert_null (nb_lab_key_load_or_create (path, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_INVALID);
  g_clear_error (&error);
  g_autofree char *content = NULL;
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "AAAA\n");
  remove_tree (dir);
}

static void
test_refuse_symlink (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *target = g_build_filename (dir, "elsewhere.key", NULL);
  g_autofree char *path = g_build_filename (dir, "lab.key", NULL);
  g_autoptr (GError) error = NULL;

  /* a dangling link: creating through it would write the key where the link points */
  g_assert_cmpint (symlink (target, path), ==, 0);
  g_assert_null (nb_lab_key_load_or_create (path, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_NOT_REGULAR);
  g_clear_error (&error);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  /* a link to a genuine 0600 key is refused as well */
  {
    g_autoptr (NbLabKey) key = nb_lab_key_load_or_create (target, &error);
    g_assert_no_error (error);
  }
  g_assert_null (nb_lab_key_load_or_create (path, &error));
  g_assert_error (error, NB_LAB_KEY_ERROR, NB_LAB_KEY_ERROR_NOT_REGULAR);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_clear_error (&error);

  /* a directory at the path */
  g_autofree char *dpath = g_build_filename (dir, "dir.key", NULL);
  g_assert_cmpint (g_mkdir (dpath, 0700), ==, 0);
  g_assert_null (nb_lab_key_load_or_create (dpath, &error));
  g_assert_nonnull (error);
  g_assert_true (error->code == NB_LAB_KEY_ERROR_NOT_REGULAR || error->code == NB_LAB_KEY_ERROR_IO);
  g_clear_error (&error);
  remove_tree (dir);
}

static void
test_default_path (void)
{
  g_autofree char *path = nb_lab_key_default_path ();
  g_autofree char *expect
      = g_build_filename (g_get_user_data_dir (), "needlebench", "lab.key", NULL);
  g_assert_cmpstr (path, ==, expect);
  g_autofree char *pub = nb_lab_key_public_path (path);
  g_assert_true (g_str_has_suffix (pub, "needlebench/lab.pub"));
  g_autofree char *other = nb_lab_key_public_path ("/x/secret");
  g_assert_cmpstr (other, ==, "/x/secret.pub");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lab-key/rfc8032", test_rfc8032_vector);
  g_test_add_func ("/lab-key/create-reload-sign", test_create_reload_sign);
  g_test_add_func ("/lab-key/refuse-readable", test_refuse_readable);
  g_test_add_func ("/lab-key/refuse-symlink", test_refuse_symlink);
  g_test_add_func ("/lab-key/default-path", test_default_path);
  return g_test_run ();
}
